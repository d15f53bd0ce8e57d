import { defineConfig } from 'vitest/config';
import { stackTestConfig } from '../../vitest.presets';

export default defineConfig(stackTestConfig('app', { testTimeout: 120_000 }));
