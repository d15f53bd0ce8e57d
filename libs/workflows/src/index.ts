export * from './definitions';
export * from './workflows';
export type { CampaignInput } from './campaign-input';
export type { DriftWatchInput, DriftWatchResult } from './drift-watch.workflow';
export type { HostUpgradeInput, HostUpgradeTimeouts, MaintenanceOptions } from './host-upgrade-input';

/** Absolute path of the workflow bundle entry, for Worker.create({ workflowsPath }). */
export const workflowsPath = new URL('./workflows.ts', import.meta.url).pathname;
/** Absolute path of the workflow interceptors bundled with them (bundleWorkflowCode({ workflowInterceptorModules })): OpenTelemetry tracing of runs that began with it. */
export const tracingInterceptorsPath = new URL('./tracing-interceptors.ts', import.meta.url).pathname;
export { TRACING_PATCH } from './tracing-interceptors';
export { BOOT_WAIT_HEARTBEAT_TIMEOUT } from './host-activities';
