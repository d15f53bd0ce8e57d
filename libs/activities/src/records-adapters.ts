// The activities' ports over Bankswitch's event store: host events in `host-<id>`
// streams, campaign events in `campaign-<id>` streams.
import { evolveAll, initialState, type HostEvent } from '@bankswitch/banks';
import { campaignStream, hostStream, type BankswitchStore } from '@bankswitch/records';
import type { CampaignLog, HostHistory } from './ports';

/**
 * The metadata's causation id carries the idempotency key of the append (the activity
 * execution, or the boot, that caused it), so `load` knows which appends are done.
 */
export function storeHostHistory(store: BankswitchStore): HostHistory {
  return {
    async load(hostId) {
      const events = await store.readStream(hostStream(hostId));
      return {
        state: evolveAll(initialState(), events as HostEvent[]),
        version: events.at(-1)?.streamVersion ?? 0,
        keys: new Set(events.map((e) => e.metadata.causationId).filter((k): k is string => k !== undefined)),
      };
    },
    async append(hostId, events, { expectedVersion, idempotencyKey, metadata }) {
      await store.appendToStream(hostStream(hostId), events, { expectedVersion, idempotencyKey, metadata: { ...metadata, causationId: idempotencyKey } });
    },
  };
}

export function storeCampaignLog(store: BankswitchStore): CampaignLog {
  return {
    async append(campaignId, events, { expectedVersion, idempotencyKey, metadata }) {
      await store.appendToStream(campaignStream(campaignId), events, { expectedVersion, idempotencyKey, metadata: { ...metadata, causationId: idempotencyKey } });
    },
  };
}
