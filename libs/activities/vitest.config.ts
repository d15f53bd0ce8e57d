import { defineConfig } from 'vitest/config';
import { unitTestConfig } from '../../vitest.presets';

export default defineConfig(unitTestConfig('activities'));
