export * from './definitions';
export * from './workflows';
export type { CampaignInput, PauseBetweenWaves } from './campaign-input';
export type { HostUpgradeInput, HostUpgradeTimeouts } from './host-upgrade-input';
export * from './campaign-state';
export { NON_RETRYABLE_HOST_ERRORS } from './host-activities';

/** Absolute path of the workflow bundle entry, for Worker.create({ workflowsPath }). */
export const workflowsPath = new URL('./workflows.ts', import.meta.url).pathname;
