import { defineConfig } from 'vitest/config';
import { unitTestConfig } from '../../tools/src/vitest/presets';

export default defineConfig(unitTestConfig('banks'));
