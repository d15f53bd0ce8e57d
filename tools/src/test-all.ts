// `npm run test:all`: type-checks, lints and tests every project through Nx (with its
// cache), against one real local stack started here and stopped at the end, and closes
// with one line `N passed, N failed, N skipped` summed from vitest's JSON reports.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { startLocalStack, workspaceRoot } from './local-stack/index';
import { summariseReports } from './vitest/summarise-reports';

const resultsDir = path.join(workspaceRoot, 'tmp/test-results');
await fs.rm(resultsDir, { recursive: true, force: true });

const started = Date.now();
const stack = await startLocalStack({ name: 'test-all', log: console.log });
console.log(`Local stack up in ${((Date.now() - started) / 1000).toFixed(1)} s:`);
for (const line of stack.describe()) console.log(`  ${line}`);

const env = {
  ...process.env,
  NX_DAEMON: 'false',
  NX_TUI: 'false',
  BANKSWITCH_TEST_DATABASE_URL: stack.databaseUrl,
  TEMPORAL_ADDRESS: stack.temporalAddress,
};
let nxExit: number | null = 1;
try {
  // Type checks and lints in parallel; test projects one at a time: their end-to-end
  // tests run real processes (agents, workers, servers) whose timings two suites at
  // once on 2 cores would stretch into flakiness.
  const checks = await run('npx', ['nx', 'run-many', '-t', 'typecheck', 'lint', '--outputStyle=static'], env);
  const tests = await run('npx', ['nx', 'run-many', '-t', 'test', '--parallel=1', '--outputStyle=static'], env);
  nxExit = checks !== 0 ? checks : tests;
} finally {
  await stack.stop();
}

const projects = (await capture('npx', ['nx', 'show', 'projects', '--with-target', 'test', '--json'])).trim();
const summary = await summariseReports(resultsDir, JSON.parse(projects) as string[]);
for (const line of summary.notes) console.log(line);
if (nxExit !== 0) console.log(`Nx reported failed tasks (exit ${nxExit}): see the output above.`);
console.log(summary.closingLine);
process.exit(nxExit === 0 && summary.failed === 0 ? 0 : 1);

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: workspaceRoot, env, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code));
  });
}

function capture(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: workspaceRoot, env: { ...process.env, NX_DAEMON: 'false' } });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} ${args.join(' ')} exited ${code}`))));
  });
}
