// The Bankswitch processes of the production-shaped local stack: worker processes on one
// task queue and the HTTP API, each the same program a deployment runs (deploy/), as its
// own process with its own log, stopped with the stack (also on Ctrl-C, and by the
// stack's watchdog if this process dies).
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startApi, startWorker, stopWorker, workerHttpOf } from '../demo/engine';
import type { LocalStack } from './index';

export interface ProductionApps {
  readonly taskQueue: string;
  readonly workers: readonly ChildProcess[];
  readonly apiUrl: string;
  /** One line per process saying where it listens. */
  describe(): string[];
  stop(): Promise<void>;
}

export interface ProductionAppsOptions {
  readonly workers: number;
  /** Where their logs go. */
  readonly dir: string;
  /** Default `bankswitch`, the worker's own default. */
  readonly taskQueue?: string;
}

/** Starts the workers and the API on the stack; the stack's `stop()` stops them first. */
export async function startProductionApps(stack: LocalStack, options: ProductionAppsOptions): Promise<ProductionApps> {
  fs.mkdirSync(options.dir, { recursive: true });
  const taskQueue = options.taskQueue ?? 'bankswitch';
  const env = {
    DATABASE_URL: stack.databaseUrl,
    TEMPORAL_ADDRESS: stack.temporalAddress,
    BANKSWITCH_TASK_QUEUE: taskQueue,
    // Each worker serves /healthz, /readyz and /metrics on a port of its own (docs/observability.md).
    BANKSWITCH_WORKER_HTTP_PORT: process.env.BANKSWITCH_WORKER_HTTP_PORT ?? '0',
  };
  const processes: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(processes.splice(0).map(stopWorker));
  };
  stack.attach({ stop });
  const track = (child: ChildProcess, label: string) => {
    processes.push(child);
    if (child.pid !== undefined) stack.watchProcess(child.pid, label);
    return child;
  };
  const workerLog = (n: number) => path.join(options.dir, `worker-${n}.log`);
  const apiLog = path.join(options.dir, 'api.log');
  const workersStarting = Array.from({ length: options.workers }, (_, i) => startWorker(env, workerLog(i + 1)).then((child) => track(child, `worker-${i + 1}`)));
  const apiStarting = startApi(env, apiLog).then((api) => ({ ...api, child: track(api.child, 'api') }));
  const settled = await Promise.allSettled([...workersStarting, apiStarting]);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }
  const workers = await Promise.all(workersStarting);
  const api = await apiStarting;
  return {
    taskQueue,
    workers,
    apiUrl: api.url,
    describe: () => [
      ...workers.map((worker, i) => {
        const http = workerHttpOf.get(worker);
        return `Worker ${i + 1}    pid ${worker.pid}, task queue ${taskQueue}${http ? `, health and metrics ${http}/healthz, ${http}/metrics` : ''} (log ${workerLog(i + 1)})`;
      }),
      `API         ${api.url}  (OpenAPI ${api.url}/openapi.json, docs ${api.url}/docs; log ${apiLog})`,
    ],
    stop,
  };
}
