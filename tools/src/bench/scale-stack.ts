// The engine the scale benchmark runs on, in the production shape: PostgreSQL, the full
// Temporal server on PostgreSQL (as `npm run stack -- --production` runs it), three worker
// processes (`apps/worker/src/main.ts`) on one task queue, each serving its health and
// metrics, and the HTTP API process (`apps/api/src/main.ts`) that operators use. One call
// starts it all; `temporal: 'dev'` puts the Temporal CLI's dev server in the server's place.
// The workers and the API are the programs production-apps.ts starts, started here
// because the benchmark needs each process's pid, per-worker settings and node options.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { startLocalStack, workspaceRoot, type LocalStack } from '../local-stack/index';
import type { PortRange } from '../local-stack/temporal-full-server';
import { stopChild } from '../local-stack/stop-child';
import type { ComponentGroup } from './process-sampler';

export interface ScaleStackOptions {
  /** Names the stack's data folders. */
  readonly name: string;
  /** The full Temporal server on PostgreSQL (`server`, production's shape) or the dev server (`dev`). */
  readonly temporal: 'server' | 'dev';
  /** Folder for the worker and API logs. */
  readonly dir: string;
  readonly workers: number;
  readonly taskQueue: string;
  /** Extra environment of the workers (e.g. BANKSWITCH_MAX_ACTIVITIES). */
  readonly workerEnv?: Readonly<Record<string, string>>;
  /** Extra node options of the workers (e.g. --cpu-prof, which NODE_OPTIONS may not carry). */
  readonly workerNodeArgs?: readonly string[];
  readonly log?: (line: string) => void;
  /** The simulated fleet's ports, which Temporal's own must avoid (see startLocalStack). */
  readonly reservedPorts?: PortRange;
}

export interface ScaleStack {
  readonly databaseUrl: string;
  readonly temporalAddress: string;
  readonly apiUrl: string;
  /** The environment a worker, the API or the CLI of this stack runs with. */
  readonly env: Readonly<Record<string, string>>;
  /** What runs, for the report. */
  describe(): string[];
  /** The components' processes, for the sampler (each with its descendants). */
  readonly components: readonly ComponentGroup[];
  stop(): Promise<void>;
}

export async function startScaleStack(options: ScaleStackOptions): Promise<ScaleStack> {
  const log = options.log ?? (() => {});
  const stack: LocalStack = await startLocalStack({ name: options.name, temporal: options.temporal, log, reservedPorts: options.reservedPorts });
  const env = {
    DATABASE_URL: stack.databaseUrl,
    TEMPORAL_ADDRESS: stack.temporalAddress,
    BANKSWITCH_TASK_QUEUE: options.taskQueue,
    BANKSWITCH_OPERATOR: 'bench-scale',
    // The drift watch would look at every host mid-campaign: not what is measured here.
    BANKSWITCH_DRIFT_WATCH_EVERY: 'off',
    // As production runs them: /healthz, /readyz and /metrics (Core's metrics too) on a free port.
    BANKSWITCH_WORKER_HTTP_PORT: '0',
  };
  const workers: ChildProcess[] = [];
  let api: ChildProcess | undefined;
  const stopAll = async () => {
    if (api) await stopChild(api, 15_000);
    // SIGTERM: a worker drains and closes its connections (and writes its profile).
    await Promise.all(workers.map((w) => stopChild(w, 15_000)));
    await stack.stop();
  };
  try {
    const started = await Promise.allSettled(
      Array.from({ length: options.workers }, (_, i) =>
        startNodeProcess({
          entry: 'apps/worker/src/main.ts',
          env: { ...env, ...options.workerEnv },
          logPath: path.join(options.dir, `worker-${i + 1}.log`),
          ready: /bankswitch worker: task queue/,
          nodeArgs: options.workerNodeArgs,
        }).then((started) => started.child),
      ),
    );
    for (const s of started) if (s.status === 'fulfilled') workers.push(s.value);
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    const apiStarted = await startNodeProcess({
      entry: 'apps/api/src/main.ts',
      env: { ...env, BANKSWITCH_API_PORT: '0', BANKSWITCH_API_BODY_LIMIT: String(16 * 1024 * 1024) },
      logPath: path.join(options.dir, 'api.log'),
      ready: /listening on (\S+)/,
    });
    api = apiStarted.child;
    const pid = (p: number | undefined) => (p === undefined ? [] : [p]);
    return {
      databaseUrl: stack.databaseUrl,
      temporalAddress: stack.temporalAddress,
      apiUrl: apiStarted.match[1] ?? '',
      env,
      describe: () => [
        ...stack.describe(),
        `Workers     ${options.workers} processes on task queue ${options.taskQueue} (pids ${workers.map((w) => w.pid).join(', ')})`,
        `API         ${apiStarted.match[1]}`,
      ],
      components: [
        { name: 'Temporal', pids: () => pid(stack.temporal.pid) },
        { name: 'PostgreSQL', pids: () => pid(stack.postgres.pid) },
        { name: `workers (${options.workers})`, pids: () => workers.flatMap((w) => pid(w.pid)) },
        { name: 'API', pids: () => pid(api?.pid) },
      ],
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** `node [nodeArgs] --import tsx <entry>` from the workspace root; resolves once a line of its stdout matches `ready`. */
async function startNodeProcess(options: {
  entry: string;
  env: Readonly<Record<string, string>>;
  logPath: string;
  ready: RegExp;
  nodeArgs?: readonly string[];
}): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const log = fs.openSync(options.logPath, 'a');
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', path.join(workspaceRoot, options.entry)], {
    cwd: workspaceRoot,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', log],
  });
  fs.closeSync(log);
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${options.entry} did not start within 90 s; see ${options.logPath}`)), 90_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      fs.appendFileSync(options.logPath, `${line}\n`);
      const found = options.ready.exec(line);
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${options.entry} exited with code ${code} before it started; see ${options.logPath}`));
    });
  });
  return { child, match };
}
