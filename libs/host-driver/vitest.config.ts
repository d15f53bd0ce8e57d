import { defineConfig } from 'vitest/config';
import { e2eTestConfig } from '../../vitest.presets';

export default defineConfig(e2eTestConfig('host-driver'));
