// What the worker process shows of itself (docs/observability.md): its log as JSON lines,
// the engine's metrics and Temporal's, traces over OTLP when configured, and its HTTP
// endpoints. Set up by main.ts before the worker exists: Temporal's Runtime (logger and
// Core's metrics exporter) can be installed once per process, before any connection.
import net from 'node:net';
import { Runtime } from '@temporalio/worker';
import { startTracing, type Tracing } from '@bankswitch/app';
import type { WorkerConfig } from './config';
import type { RunningWorker } from './create-worker';
import { startWorkerHttp, type ReadyCheck, type WorkerHttp } from './http';
import { createWorkerLog } from './logging';
import { createWorkerMetrics, type WorkerMetrics } from './metrics';

export interface WorkerObservability {
  readonly metrics: WorkerMetrics;
  readonly tracing: Tracing;
  /** Where /healthz, /readyz and /metrics are served; null when BANKSWITCH_WORKER_HTTP_PORT is off. */
  readonly http: WorkerHttp | null;
  /** Start-up lines for the console: where things are served and sent. */
  readonly summary: readonly string[];
  /** The worker /readyz reports on. */
  attach(running: RunningWorker): void;
  close(): Promise<void>;
}

export async function startWorkerObservability(config: WorkerConfig): Promise<WorkerObservability> {
  const log = createWorkerLog(config.logLevel);
  // Temporal Core (Rust) exports its metrics itself, as Prometheus text on a port of its
  // own. They are merged into the worker's /metrics instead of being served apart: one
  // scrape target per worker, and Core's port stays on the loopback interface, on a free
  // port that nobody has to configure or keep free.
  const corePort = config.http ? await freeLoopbackPort() : null;
  Runtime.install({
    logger: log,
    telemetryOptions: {
      // Core's own messages go through the same JSON log.
      logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} },
      ...(corePort ? { metrics: { prometheus: { bindAddress: `127.0.0.1:${corePort}` } } } : {}),
    },
  });
  const tracing = await startTracing({ serviceName: 'bankswitch-worker' });
  const metrics = await createWorkerMetrics({ processMetrics: true, warn: (message) => log.pino.warn(message) });
  let running: RunningWorker | undefined;

  const http = config.http
    ? await startWorkerHttp({
        ...config.http,
        readiness: () => workerReadiness(running),
        metrics: async () => ({ contentType: metrics.registry.contentType, body: await withCoreMetrics(metrics, corePort) }),
      })
    : null;
  const summary = [
    http ? `http ${http.url} (/healthz, /readyz, /metrics: the engine's and the Temporal SDK's)` : 'http off (BANKSWITCH_WORKER_HTTP_PORT)',
    tracing.enabled ? `traces to ${tracing.destination}` : 'traces off (OTEL_EXPORTER_OTLP_ENDPOINT)',
  ];
  return {
    metrics,
    tracing,
    http,
    summary,
    attach(worker) {
      running = worker;
    },
    async close() {
      await http?.close();
      await tracing.shutdown().catch(() => {});
    },
  };
}

/** Ready: the worker polls its task queue (RUNNING) and PostgreSQL answers. */
export async function workerReadiness(running: RunningWorker | undefined): Promise<ReadyCheck[]> {
  if (!running) return [{ name: 'worker', ok: false, detail: 'starting (connecting to Temporal, bundling the workflows)' }];
  // Both the workflows' queue and the campaigns' activity queue are polled, or not ready.
  const state = [running.worker.getState(), running.campaignWorker.getState()].find((s) => s !== 'RUNNING') ?? 'RUNNING';
  const database = await running.checkDatabase().then(
    (): ReadyCheck => ({ name: 'postgresql', ok: true }),
    (error: unknown): ReadyCheck => ({ name: 'postgresql', ok: false, detail: error instanceof Error ? error.message : String(error) }),
  );
  return [state === 'RUNNING' ? { name: 'worker', ok: true } : { name: 'worker', ok: false, detail: `the worker is ${state.toLowerCase()}` }, database];
}

/** The engine's metrics, then Core's (without a family of the same name as one of ours). */
async function withCoreMetrics(metrics: WorkerMetrics, corePort: number | null): Promise<string> {
  const own = await metrics.registry.metrics();
  if (corePort === null) return own;
  let core: string;
  try {
    const answer = await fetch(`http://127.0.0.1:${corePort}/metrics`, { signal: AbortSignal.timeout(2_000) });
    core = await answer.text();
  } catch (error) {
    return `${own}# Temporal SDK metrics: Core's exporter on 127.0.0.1:${corePort} did not answer (${error instanceof Error ? error.message : String(error)})\n`;
  }
  const ours = metrics.registry.getMetricsAsArray().map((m) => m.name);
  const name = (line: string) => (line.startsWith('# HELP ') || line.startsWith('# TYPE ') ? line.split(' ')[2] : line.split(/[{ ]/)[0]) ?? '';
  const kept = core.split('\n').filter((line) => line !== '' && !ours.some((family) => name(line).startsWith(family)));
  return `${own}# Temporal SDK metrics (Temporal Core's Prometheus exporter, on 127.0.0.1:${corePort})\n${kept.join('\n')}\n`;
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
