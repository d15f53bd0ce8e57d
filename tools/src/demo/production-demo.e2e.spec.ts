// The production-shaped local stack, as people run it: `npm run demo -- --production`
// (the full Temporal server on PostgreSQL, three worker processes, the API, a campaign
// over 12 simulated hosts) exits 0, and `npm run stack -- --production --check` starts
// and stops the stack with its three workers and the API. Both leave nothing running.
//
// The Temporal server is built from source once per machine (~/.cache/bankswitch; 3-7
// min cold on 2 cores), then each run takes about 40 s and 30 s.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { expect, test } from 'vitest';
import { ensureTemporalServer } from '../local-stack/temporal-full-server';
import { isSameProcess, processIdentity, workspaceRoot, type ProcessIdentity } from '../local-stack/index';

/** The environment without the test stack's servers: the demo and the stack start their own. */
function ownServers(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'BANKSWITCH_TEST_DATABASE_URL']) delete env[name];
  return env;
}

/** Runs a tools/src script; resolves with its exit code, its output and the identities of the pids it printed. */
function run(script: string, args: readonly string[]): Promise<{ code: number | null; output: string; printed: ProcessIdentity[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(workspaceRoot, 'tools/src', script), ...args], { cwd: workspaceRoot, env: ownServers(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const printed: ProcessIdentity[] = [];
    const collect = (line: string) => {
      output += `${line}\n`;
      // Identities read while the processes run, to tell afterwards that they are gone (not a reused pid).
      for (const [, pids] of line.matchAll(/pids? ([\d, ]+)/g)) {
        for (const pid of pids!.split(/[ ,]+/).filter(Boolean).map(Number)) {
          const identity = processIdentity(pid);
          if (identity) printed.push(identity);
        }
      }
    };
    createInterface({ input: child.stdout }).on('line', collect);
    createInterface({ input: child.stderr }).on('line', collect);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output, printed }));
  });
}

test('`npm run demo -- --production` runs the campaign on the full Temporal server with three workers, exits 0 and leaves nothing running', async () => {
  await ensureTemporalServer(); // built once per machine, before the demo's clock starts
  const { code, output, printed } = await run('demo/main.ts', ['--production']);
  expect(code, output).toBe(0);
  expect(output).toMatch(/Temporal +127\.0\.0\.1:\d+ \(Temporal server 1\.29\.1, PostgreSQL persistence and visibility, 4 history shards, started here\)/);
  expect(output).toMatch(/3 workers \(pids \d+, \d+, \d+\) on task queue/);
  expect(output).toContain('The demo ended as expected');
  expect(printed).toHaveLength(3);
  expect(printed.filter(isSameProcess)).toEqual([]);
}, 900_000);

test('`npm run stack -- --production --check` says where the server, three workers and the API listen, and stops them', async () => {
  await ensureTemporalServer();
  const { code, output, printed } = await run('local-stack/cli.ts', ['--production', '--check']);
  expect(code, output).toBe(0);
  for (const n of [1, 2, 3]) expect(output).toMatch(new RegExp(`Worker ${n} +pid \\d+, task queue bankswitch`));
  expect(output).toMatch(/API +http:\/\/127\.0\.0\.1:\d+/);
  expect(output).toContain('Stopped.');
  expect(printed).toHaveLength(3);
  expect(printed.filter(isSameProcess)).toEqual([]);
}, 900_000);
