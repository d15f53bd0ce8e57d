import { defineConfig } from 'vitest/config';
import { stackTestConfig } from '../../vitest.presets';

export default defineConfig(stackTestConfig('cli', { testTimeout: 180_000 }));
