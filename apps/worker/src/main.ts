// The Bankswitch worker: hosts the workflows and activities. Configured by environment
// (src/config.ts); stops gracefully on SIGINT/SIGTERM (Temporal's Runtime installs the
// signal handlers and calls worker.shutdown()). It also keeps the drift watch's schedule
// as configured (BANKSWITCH_DRIFT_WATCH_EVERY).
import { Client, Connection } from '@temporalio/client';
import { ensureDriftWatchSchedule } from '@bankswitch/app';
import { workerConfigFromEnv } from './config';
import { createBankswitchWorker } from './create-worker';
import { startWorkerObservability } from './observability';

const config = workerConfigFromEnv();
// JSON log, metrics, traces and /healthz, /readyz, /metrics (docs/observability.md): before the worker, which needs Temporal's Runtime installed.
const observability = await startWorkerObservability(config);
for (const line of observability.summary) console.log(`bankswitch worker: ${line}`);
const running = await createBankswitchWorker(config, { metrics: observability.metrics, tracing: observability.tracing });
observability.attach(running);
console.log(`bankswitch worker: task queue ${config.taskQueue} on ${config.temporalAddress} (namespace ${config.namespace})`);
const connection = await Connection.connect({ address: config.temporalAddress });
const schedule = await ensureDriftWatchSchedule(new Client({ connection, namespace: config.namespace }), { taskQueue: config.taskQueue, everyMs: config.driftWatchEveryMs });
await connection.close();
console.log(`bankswitch worker: drift watch ${config.driftWatchEveryMs === null ? 'off' : `every ${config.driftWatchEveryMs / 1000} s`} (schedule ${schedule})`);
await running.run();
await observability.close();
console.log('bankswitch worker: stopped');
