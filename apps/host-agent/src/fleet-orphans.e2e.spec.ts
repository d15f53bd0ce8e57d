// A launcher that dies without calling stop() (a crashed test run) leaves no agent behind.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, expect, it } from 'vitest';

const launcher = path.resolve(import.meta.dirname, '../../../tools/src/fleet/index.ts');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bankswitch-orphans-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

it('agents exit when their launcher is SIGKILLed', async () => {
  const script = `
    import { launchFleet } from ${JSON.stringify(launcher)};
    const fleet = await launchFleet({ dir: ${JSON.stringify(dir)}, clusters: [{ name: 'o', hosts: 4 }], hostsPerProcess: 2 });
    console.log(JSON.stringify(fleet.agents.map((agent) => agent.pid)));
    setInterval(() => {}, 1000);
  `;
  const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve) => createInterface({ input: parent.stdout }).once('line', resolve));
  const pids = JSON.parse(line) as number[];
  expect(pids).toHaveLength(2);
  expect(pids.every(alive)).toBe(true);

  parent.kill('SIGKILL');
  const deadline = Date.now() + 10_000;
  while (pids.some(alive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  expect(pids.filter(alive)).toEqual([]);
});
