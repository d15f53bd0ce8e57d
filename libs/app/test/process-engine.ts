// The engine as processes only (fleet CLI, worker), so that this library's tests do not
// import the tools project (which imports this library for the demo).
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const OLD_BUILD = '8.0.2-0.0.22380479';
export const NEW_BUILD = '8.0.3-0.0.24022510';

export interface ProcessEngine {
  readonly env: Record<string, string>;
  readonly inventoryPath: string;
  readonly image: { path: string; sha256: string; build: string };
  spec(s: { name: string; clusters: string[]; waves?: string[]; maxInFlight?: number; failureBudget?: number; pauseBetweenWaves?: string; canary?: number }): string;
  stop(): Promise<void>;
}

function start(args: string[], env: Record<string, string>, ready: RegExp, log: string): Promise<{ child: ChildProcess; lines: string[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', fs.openSync(log, 'a')] });
  process.on('exit', () => child.kill('SIGKILL'));
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args[0]} did not get ready; see ${log}`)), 90_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      if (ready.test(line)) {
        clearTimeout(timer);
        resolve({ child, lines });
      }
    });
    child.once('exit', (code) => reject(new Error(`${args[0]} exited with ${code}: ${fs.readFileSync(log, 'utf8').slice(-2000)}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

export async function startProcessEngine(options: { hosts: number; clusters: string[]; faults: string[] }): Promise<ProcessEngine> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bankswitch-app-'));
  const env = { DATABASE_URL: process.env.DATABASE_URL!, TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS!, BANKSWITCH_TASK_QUEUE: `app-${randomUUID().slice(0, 8)}` };
  const fleetArgs = ['tools/src/fleet/cli.ts', '--hosts', String(options.hosts), '--clusters', options.clusters.join(','), '--dir', path.join(dir, 'fleet'), '--reboot-ms', '200', '--hosts-per-process', '8', '--base-build', OLD_BUILD, '--previous-build', '8.0.1-0.0.21495797', ...options.faults.flatMap((f) => ['--fault', f])];
  const [fleet, worker] = await Promise.all([
    start(fleetArgs, {}, /Ctrl-C stops the fleet/, path.join(dir, 'fleet.log')),
    start(['apps/worker/src/main.ts'], env, /bankswitch worker: task queue/, path.join(dir, 'worker.log')),
  ]);
  const payload = Buffer.from(`ESXi ${NEW_BUILD} image\n`.repeat(4096));
  const image = { path: path.join(dir, 'esxi-new.iso'), sha256: createHash('sha256').update(payload).digest('hex'), build: NEW_BUILD };
  fs.writeFileSync(image.path, payload);
  return {
    env,
    inventoryPath: path.join(dir, 'fleet', 'inventory.json'),
    image,
    spec: (s) =>
      [
        `name: ${s.name}`,
        `target: { build: ${image.build}, payload: ${image.path}, sha256: ${image.sha256} }`,
        `hosts: { clusters: [${s.clusters.join(', ')}] }`,
        'strategy:',
        `  canary: ${s.canary ?? 1}`,
        `  waves: [${(s.waves ?? ['100%']).map((w) => JSON.stringify(w)).join(', ')}]`,
        `  maxInFlight: ${s.maxInFlight ?? 4}`,
        `  failureBudget: ${s.failureBudget ?? 0}`,
        `  pauseBetweenWaves: ${s.pauseBetweenWaves ?? 'none'}`,
        '  timeouts: { reboot: 20s }',
        'verification: { checks: [{ name: vmkernel, type: health }], requireRollbackImage: false }',
        '',
      ].join('\n'),
    async stop() {
      await stop(worker.child);
      await stop(fleet.child);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
