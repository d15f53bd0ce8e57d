// The engine around the operator surfaces, as real processes: a simulated fleet (agent
// processes), a worker process (`apps/worker/src/main.ts`) on its own task queue, the
// inventory imported through the application layer, and an image to upgrade to. Used by
// the demo and by the CLI/API/app tests; the local stack is the caller's.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { appConfigFromEnv, openBankswitchApp, type OpenApp } from '@bankswitch/app';
import { launchFleet, type Fleet, type FleetDriver, type FleetFaults } from '../fleet/index';
import { workspaceRoot } from '../local-stack/index';
import { stopChild } from '../local-stack/stop-child';

export const OLD_BUILD = '8.0.2-0.0.22380479';
export const NEW_BUILD = '8.0.3-0.0.24022510';
export const PREVIOUS_BUILD = '8.0.1-0.0.21495797';

export interface Engine {
  readonly dir: string;
  readonly fleet: Fleet;
  readonly taskQueue: string;
  readonly image: { readonly path: string; readonly sha256: string; readonly build: string };
  /** Environment for a `bankswitch` process talking to this engine. */
  readonly env: Readonly<Record<string, string>>;
  readonly open: OpenApp;
  readonly worker: ChildProcess;
  /** Every worker process on the task queue: `worker` and the others of `EngineOptions.workers`. */
  readonly workers: readonly ChildProcess[];
  /** The worker's /healthz, /readyz and /metrics, when `workerEnv` turned them on (BANKSWITCH_WORKER_HTTP_PORT). */
  readonly workerHttp?: string;
  /** A campaign spec (YAML) over this fleet's image. */
  spec(options: SpecOptions): string;
  stop(): Promise<void>;
}

export interface SpecOptions {
  readonly name: string;
  readonly clusters?: readonly string[];
  readonly names?: readonly string[];
  readonly canary?: number | string;
  readonly waves?: readonly (number | string)[];
  readonly maxInFlight?: number;
  readonly failureBudget?: number | string;
  readonly pauseBetweenWaves?: string;
  readonly reboot?: string;
}

export interface EngineOptions {
  readonly databaseUrl: string;
  readonly temporalAddress: string;
  readonly clusters: readonly { readonly name: string; readonly hosts: number }[];
  readonly faults?: FleetFaults;
  readonly rebootMs?: number;
  readonly taskQueue?: string;
  readonly operator?: string;
  readonly log?: (line: string) => void;
  /** How the engine reaches the hosts: their HTTP API, or SSH as ESXi answers it. Default http. */
  readonly driver?: FleetDriver;
  /** More environment for the worker process (e.g. BANKSWITCH_WORKER_HTTP_PORT, OTEL_EXPORTER_OTLP_ENDPOINT). */
  readonly workerEnv?: Readonly<Record<string, string>>;
  /** Worker processes on the task queue (default 1); the others log to worker-<n>.log. */
  readonly workers?: number;
}

export async function startEngine(options: EngineOptions): Promise<Engine> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bankswitch-engine-'));
  const taskQueue = options.taskQueue ?? `bankswitch-${randomUUID().slice(0, 8)}`;
  const env = {
    DATABASE_URL: options.databaseUrl,
    TEMPORAL_ADDRESS: options.temporalAddress,
    BANKSWITCH_TASK_QUEUE: taskQueue,
    BANKSWITCH_OPERATOR: options.operator ?? 'engine',
    // Observations run when asked (`hosts observe`), not on a timer that would race the demo's steps.
    BANKSWITCH_DRIFT_WATCH_EVERY: 'off',
  };
  const workerStarting = startWorker({ ...env, ...options.workerEnv }, path.join(dir, 'worker.log'));
  const moreStarting = Array.from({ length: Math.max(0, (options.workers ?? 1) - 1) }, (_, i) => startWorker({ ...env, ...options.workerEnv }, path.join(dir, `worker-${i + 2}.log`)));
  const fleetStarting = launchFleet({ dir, clusters: options.clusters, faults: options.faults, rebootMs: options.rebootMs ?? 200, baseBuild: OLD_BUILD, previousBuild: PREVIOUS_BUILD, hostsPerProcess: 8, driver: options.driver ?? 'http' });
  let fleet: Fleet | undefined;
  let worker: ChildProcess | undefined;
  let more: ChildProcess[] = [];
  try {
    [fleet, worker, ...more] = await Promise.all([fleetStarting, workerStarting, ...moreStarting]);
  } catch (error) {
    // Whatever did start is stopped (the fleet too when a worker failed).
    await fleetStarting.then((started) => started.stop(), () => {});
    await Promise.all([workerStarting, ...moreStarting].map((starting) => starting.then(stopWorker, () => {})));
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const payload = Buffer.from(`ESXi ${NEW_BUILD} image\n`.repeat(4096));
  const imagePath = path.join(dir, 'esxi-new.iso');
  fs.writeFileSync(imagePath, payload);
  const image = { path: imagePath, sha256: createHash('sha256').update(payload).digest('hex'), build: NEW_BUILD };
  const open = await openBankswitchApp(appConfigFromEnv({ ...env }));
  const started = { fleet, workers: [worker, ...more] };
  return {
    dir,
    fleet,
    taskQueue,
    image,
    env,
    open,
    worker,
    workers: started.workers,
    ...(workerHttpOf.get(worker) ? { workerHttp: workerHttpOf.get(worker) } : {}),
    spec: (s) => specYaml(s, image),
    async stop() {
      await open.close().catch(() => {});
      await Promise.all(started.workers.map(stopWorker));
      await started.fleet.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function specYaml(s: SpecOptions, image: { path: string; sha256: string; build: string }): string {
  const list = (xs: readonly (string | number)[]) => `[${xs.map((x) => (typeof x === 'number' ? x : JSON.stringify(x))).join(', ')}]`;
  return [
    `name: ${s.name}`,
    'target:',
    `  build: ${image.build}`,
    `  payload: ${image.path}`,
    `  sha256: ${image.sha256}`,
    'hosts:',
    ...(s.clusters ? [`  clusters: ${list(s.clusters)}`] : []),
    ...(s.names ? [`  names: ${list(s.names)}`] : []),
    'strategy:',
    `  canary: ${JSON.stringify(s.canary ?? 1)}`,
    `  waves: ${list(s.waves ?? ['100%'])}`,
    `  maxInFlight: ${s.maxInFlight ?? 4}`,
    `  failureBudget: ${JSON.stringify(s.failureBudget ?? 0)}`,
    `  pauseBetweenWaves: ${s.pauseBetweenWaves ?? 'none'}`,
    `  timeouts: { reboot: ${s.reboot ?? '20s'} }`,
    'verification:',
    '  checks: [{ name: vmkernel, type: health }]',
    '  requireRollbackImage: false',
    '',
  ].join('\n');
}

/** Where a worker started here serves its HTTP endpoints (its start-up line `bankswitch worker: http <url> …`). */
export const workerHttpOf = new WeakMap<ChildProcess, string>();

/** `tsx apps/worker/src/main.ts` as its own process; resolves once it polls its task queue. */
export async function startWorker(env: Record<string, string>, logPath: string): Promise<ChildProcess> {
  const log = fs.openSync(logPath, 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(workspaceRoot, 'apps/worker/src/main.ts')], {
    cwd: workspaceRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', log],
  });
  fs.closeSync(log);
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  const lines = createInterface({ input: child.stdout! });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the worker did not start within 90 s; see ${logPath}`)), 90_000);
    lines.on('line', (line) => {
      fs.appendFileSync(logPath, `${line}\n`);
      const http = /^bankswitch worker: http (http:\/\/\S+)/.exec(line);
      if (http?.[1]) workerHttpOf.set(child, http[1]);
      if (line.includes('bankswitch worker: task queue')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the worker exited with code ${code} before it started:\n${tail(logPath)}`));
    });
  });
  return child;
}

/** `tsx apps/api/src/main.ts` as its own process (BANKSWITCH_API_PORT, default 0: a free port); resolves with its URL once it listens. */
export async function startApi(env: Readonly<Record<string, string>>, logPath: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(workspaceRoot, 'apps/api/src/main.ts')], {
    cwd: workspaceRoot,
    env: { ...process.env, ...env, BANKSWITCH_API_PORT: process.env.BANKSWITCH_API_PORT ?? '0' },
    stdio: ['ignore', 'pipe', fs.openSync(logPath, 'a')],
  });
  process.on('exit', () => child.kill('SIGKILL'));
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /listening on (\S+)/.exec(line);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the API exited with code ${code}; see ${logPath}`)));
  });
  return { child, url };
}

/** SIGTERM (the worker drains and closes its connections), SIGKILL after 15 s. */
export const stopWorker = (child: ChildProcess): Promise<void> => stopChild(child, 15_000);

function tail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '(no log)';
  }
}

/** The workspace root (for tests that run the binaries). */
export const workspaceRootOf = (): string => workspaceRoot;
