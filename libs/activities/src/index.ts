export * from './contracts';
export type { BankswitchActivities, CampaignActivities, DriftWatchActivities, HostUpgradeActivities } from './activity-types';
export type { ActivityDependencies, CampaignLog, EventMetadata, HostEndsPage, HostHistory, HostHistorySnapshot, LogCursor } from './ports';
export type { AwaitHostEnds, HostEnds } from './host-ends';
export { createActivities } from './create-activities';
export { storeCampaignLog, storeHostHistory } from './records-adapters';
export { HOST_ATTEMPTS } from './failures';
export type { FindEndedHostWorkflows, HostWorkflowStarted, HostWorkflowToStart, StartHostWorkflows } from './host-workflows';
export { checkImageSignature, trustedImageKey, type TrustedImageKey } from './image-signature';
