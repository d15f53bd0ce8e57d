// The worker's /readyz says why it is not ready: still starting, or running while
// PostgreSQL is away (a worker in process here, its database a port nobody listens on).
import { randomUUID } from 'node:crypto';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freeLoopbackPort } from '../../../tools/src/local-stack/index';
import { createBankswitchWorker, type RunningWorker } from '../src/create-worker';
import { startWorkerHttp, type WorkerHttp } from '../src/http';
import { workerReadiness } from '../src/observability';

let http: WorkerHttp;
let running: RunningWorker | undefined;

beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  http = await startWorkerHttp({
    host: '127.0.0.1',
    port: 0,
    readiness: () => workerReadiness(running),
    metrics: async () => ({ contentType: 'text/plain; version=0.0.4', body: 'up 1\n' }),
  });
});
afterAll(() => http?.close());

const readyz = async () => {
  const answer = await fetch(`${http.url}/readyz`);
  return { status: answer.status, body: (await answer.json()) as { ready: boolean; reason?: string; checks: { name: string; ok: boolean; detail?: string }[] } };
};

it('answers 503 while the worker starts, 503 naming PostgreSQL while it runs without it, and /healthz 200 throughout', async () => {
  expect(await readyz()).toEqual({ status: 503, body: { ready: false, reason: 'worker: starting (connecting to Temporal, bundling the workflows)', checks: [{ name: 'worker', ok: false, detail: 'starting (connecting to Temporal, bundling the workflows)' }] } });

  const port = await freeLoopbackPort();
  running = await createBankswitchWorker({
    temporalAddress: process.env.TEMPORAL_ADDRESS!,
    namespace: 'default',
    taskQueue: `readyz-${randomUUID()}`,
    databaseUrl: `postgresql://postgres:postgres@127.0.0.1:${port}/bankswitch`,
    maxConcurrentActivities: 2,
  });
  const stopped = running.run();
  try {
    // An option the SDK reads but does not type (create-worker.ts): the compiled options show it took.
    expect(running.worker.options.isolateExecutionTimeoutMs).toBe(30_000);
    const { status, body } = await readyz();
    expect(status).toBe(503);
    expect(body.checks).toEqual([
      { name: 'worker', ok: true },
      { name: 'postgresql', ok: false, detail: `PostgreSQL at 127.0.0.1:${port} is not reachable, so nothing was read or changed; check that it is up (and DATABASE_URL), then try again` },
    ]);
    expect(body.reason).toMatch(new RegExp(`^postgresql: PostgreSQL at 127\\.0\\.0\\.1:${port} is not reachable`));
    expect((await fetch(`${http.url}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${http.url}/metrics`)).text()).toBe('up 1\n');
  } finally {
    running.shutdown();
    await stopped;
  }
  expect((await readyz()).body.checks[0]).toEqual({ name: 'worker', ok: false, detail: 'the worker is stopped' });
});
