export * from './contracts';
export type { BankswitchActivities, CampaignActivities, HostUpgradeActivities } from './activity-types';
export type { ActivityDependencies, EventMetadata, HostHistory, HostHistorySnapshot } from './ports';
export { createActivities } from './create-activities';
export { eventStoreHistory } from './event-store-history';
