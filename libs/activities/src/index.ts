export * from './contracts';
export type { BankswitchActivities, CampaignActivities, DriftWatchActivities, HostUpgradeActivities } from './activity-types';
export type { ActivityDependencies, CampaignLog, EventMetadata, HostHistory, HostHistorySnapshot } from './ports';
export { createActivities } from './create-activities';
export { storeCampaignLog, storeHostHistory } from './records-adapters';
export { HOST_ATTEMPTS } from './failures';
export type { FindEndedHostWorkflows, HostWorkflowStarted, HostWorkflowToStart, StartHostWorkflows } from './host-workflows';
export { checkImageSignature, trustedImageKey, type TrustedImageKey } from './image-signature';
