export { createBankswitchWorker, type RunningWorker } from './create-worker';
export { workerConfigFromEnv, type WorkerConfig } from './config';
