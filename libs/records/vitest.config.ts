import { defineConfig } from 'vitest/config';
import { stackTestConfig } from '../../vitest.presets';

export default defineConfig(stackTestConfig('records'));
