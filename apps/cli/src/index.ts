export { createProgram, runCli, EXIT, type CliContext, type CliIo } from './program';
export { watchCampaign, watchExitCode, WATCH_EXIT, type WatchOptions } from './watch';
export * from './format';
