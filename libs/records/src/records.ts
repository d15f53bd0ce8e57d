import { createEventStore, type AppendObserver, type EventStore, type PrismaClient } from '@bankswitch/event-store';
import { campaignIds, recordedCampaign, type RecordedCampaign } from './campaigns';
import { bankswitchCatalog, type BankswitchEvent } from './catalog';
import { hostBanksProjection } from './host-banks/host-banks-projection';
import type { HostBanksRow } from './host-banks/host-banks-row';
import { listHostBanksRows, loadHostBanksRows } from './host-banks/host-banks-store';
import { hostHistory, hostStateAt, type HostHistoryEntry, type HostStateAt } from './time-travel';

export type BankswitchStore = EventStore<BankswitchEvent>;

/** Bankswitch's log and what is read from it: host banks now and at any instant, campaigns. */
export interface Records {
  readonly store: BankswitchStore;
  /** host_banks as projected so far (call `store.projections.catchUp()` first to include your own appends). */
  hostBanks(hostId: string): Promise<HostBanksRow | undefined>;
  listHostBanks(hostIdPrefix?: string): Promise<HostBanksRow[]>;
  hostStateAt(hostId: string, instant: Date): Promise<HostStateAt>;
  hostHistory(hostId: string): Promise<HostHistoryEntry[]>;
  /** The campaign folded from its events; undefined when it has none. */
  campaign(campaignId: string): Promise<RecordedCampaign | undefined>;
  campaignIds(options?: { limit?: number }): Promise<string[]>;
}

/** The event store with Bankswitch's catalog and projections; `onAppend` hears how each append went (the worker's metrics). */
export function createBankswitchStore(prisma: PrismaClient, options: { onAppend?: AppendObserver } = {}): BankswitchStore {
  return createEventStore(prisma, bankswitchCatalog, { projections: [hostBanksProjection], ...options });
}

export function openRecords(prisma: PrismaClient): Records {
  const store = createBankswitchStore(prisma);
  return {
    store,
    hostBanks: async (hostId) => (await loadHostBanksRows(prisma, [hostId]))[0],
    listHostBanks: (prefix) => listHostBanksRows(prisma, prefix),
    hostStateAt: (hostId, instant) => hostStateAt(store, hostId, instant),
    hostHistory: (hostId) => hostHistory(store, hostId),
    campaign: (campaignId) => recordedCampaign(store, campaignId),
    campaignIds: (options) => campaignIds(store, options),
  };
}
