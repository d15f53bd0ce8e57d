import { defineConfig } from 'vitest/config';
import { stackTestConfig } from '../../vitest.presets';

export default defineConfig(stackTestConfig('web', { testTimeout: 180_000 }));
