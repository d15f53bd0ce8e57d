// The Bankswitch worker: hosts the workflows and activities. Configured by environment
// (src/config.ts); stops gracefully on SIGINT/SIGTERM (Temporal's Runtime installs the
// signal handlers and calls worker.shutdown()).
import { workerConfigFromEnv } from './config';
import { createBankswitchWorker } from './create-worker';

const config = workerConfigFromEnv();
const running = await createBankswitchWorker(config);
console.log(`bankswitch worker: task queue ${config.taskQueue} on ${config.temporalAddress} (namespace ${config.namespace})`);
await running.run();
console.log('bankswitch worker: stopped');
