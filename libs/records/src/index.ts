export { bankswitchCatalog, bankswitchEventDefinitions, campaignStream, hostStream, type BankswitchEvent } from './catalog';
export { createBankswitchStore, openRecords, type BankswitchStore, type Records } from './records';
export { hostBanksProjection } from './host-banks/host-banks-projection';
export type { HostBanksRow } from './host-banks/host-banks-row';
export type { HostHistoryEntry, HostStateAt } from './time-travel';
export type { RecordedCampaign } from './campaigns';
export { CAMPAIGN_STATUSES, fleetCounts, type FleetCounts, type LaunchedCampaignStatus } from './fleet-counts';
