export * from './definitions';
export * from './workflows';
export type { CampaignInput } from './campaign-input';
export type { DriftWatchInput, DriftWatchResult } from './drift-watch.workflow';
export type { HostUpgradeInput, HostUpgradeTimeouts, MaintenanceOptions } from './host-upgrade-input';

/** Absolute path of the workflow bundle entry, for Worker.create({ workflowsPath }). */
export const workflowsPath = new URL('./workflows.ts', import.meta.url).pathname;
