// Shared vitest settings. Every project writes a JSON report to tmp/test-results so
// that the test command can print one honest `N passed, N failed` line at the end.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ViteUserConfig } from 'vitest/config';

const workspaceRoot = path.dirname(fileURLToPath(import.meta.url));

function base(project: string): ViteUserConfig {
  return {
    test: {
      name: project,
      reporters: ['default', 'json'],
      // Named like the Nx project (`@bankswitch/<dir>`), matching the test target's outputs.
      outputFile: { json: path.join(workspaceRoot, 'tmp/test-results/@bankswitch', `${project}.json`) },
      passWithNoTests: false,
    },
  };
}

/** Pure tests: no services. */
export function unitTestConfig(project: string): ViteUserConfig {
  const config = base(project);
  return { ...config, test: { ...config.test, include: ['src/**/*.unit.spec.ts', 'test/**/*.unit.spec.ts'] } };
}

/**
 * Unit, integration and end-to-end tests. The global setup brings up the real local
 * stack (PostgreSQL + Temporal dev server) once for the run and stops it afterwards.
 */
export function stackTestConfig(project: string, options: { testTimeout?: number } = {}): ViteUserConfig {
  const config = base(project);
  return {
    ...config,
    test: {
      ...config.test,
      include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
      globalSetup: [path.join(workspaceRoot, 'tools/src/local-stack/vitest-global-setup.ts')],
      testTimeout: options.testTimeout ?? 60_000,
      hookTimeout: 120_000,
      // Integration tests share one database and Temporal server; files run one at a time
      // so that a test that counts rows or events sees only its own.
      fileParallelism: false,
    },
  };
}

/**
 * Unit and end-to-end tests that start real processes (e.g. simulated hosts) but no
 * shared stack: longer timeouts, and files run one at a time so that process-heavy
 * suites do not fight over the CPU and stretch each other's timings.
 */
export function e2eTestConfig(project: string, options: { testTimeout?: number } = {}): ViteUserConfig {
  const config = base(project);
  return {
    ...config,
    test: {
      ...config.test,
      include: ['src/**/*.unit.spec.ts', 'src/**/*.e2e.spec.ts', 'test/**/*.unit.spec.ts', 'test/**/*.e2e.spec.ts'],
      testTimeout: options.testTimeout ?? 30_000,
      hookTimeout: 60_000,
      fileParallelism: false,
    },
  };
}
