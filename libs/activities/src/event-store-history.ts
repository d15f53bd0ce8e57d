// HostHistory over the event store: bank events in `host-<id>` streams, campaign and
// host-outcome events in `campaign-<id>` streams.
import { BANK_EVENT_TYPES, evolveAll, initialState, type BankEvent, type BankEventType } from '@bankswitch/banks';
import { campaignStream, hostStream, type EventStore, type RecordedEvent, type StoreEvent } from '@bankswitch/event-store';
import type { HostHistory } from './ports';

const bankTypes = new Set<string>(BANK_EVENT_TYPES);
const isBankEvent = (event: RecordedEvent): event is RecordedEvent & BankEvent => bankTypes.has(event.type as BankEventType);

/**
 * The metadata's causation id carries the idempotency key of the append (the activity
 * execution, or the boot, that caused it), so `load` knows which appends are done.
 */
export function eventStoreHistory(store: EventStore): HostHistory {
  return {
    async load(hostId) {
      const events = await store.readStream(hostStream(hostId));
      return {
        state: evolveAll(initialState(), events.filter(isBankEvent)),
        version: events.at(-1)?.streamVersion ?? 0,
        keys: new Set(events.map((e) => e.metadata.causationId).filter((k): k is string => k !== undefined)),
      };
    },
    async append(hostId, events, { expectedVersion, idempotencyKey, metadata }) {
      await store.appendToStream(hostStream(hostId), events as readonly StoreEvent[], {
        expectedVersion,
        idempotencyKey,
        metadata: { ...metadata, causationId: idempotencyKey },
      });
    },
    async recordHostUpgradeStarted(campaignId, data, { idempotencyKey, metadata }) {
      await store.appendToStream(campaignStream(campaignId), [{ type: 'HostUpgradeStarted', data: { campaignId, ...data } }], {
        expectedVersion: 'any',
        idempotencyKey,
        metadata: { ...metadata, causationId: idempotencyKey },
      });
    },
    async recordHostOutcome(campaignId, { hostId, wave, toBuild, attempt, outcome, bank }, { idempotencyKey, metadata }) {
      const event: StoreEvent =
        outcome.kind === 'upgraded'
          ? { type: 'HostUpgradeSucceeded', data: { campaignId, hostId, wave, build: toBuild, bank: bank ?? 0, attempt } }
          : outcome.kind === 'already-on-target'
            ? { type: 'HostUpgradeSkipped', data: { campaignId, hostId, wave, build: toBuild, reason: outcome.reason } }
            : {
                type: 'HostUpgradeFailed',
                data: { campaignId, hostId, wave, toBuild, attempt, outcome: outcome.kind, reason: outcome.reason, failedStep: outcome.failedStep ?? null, bootLog: outcome.bootLog ?? [] },
              };
      await store.appendToStream(campaignStream(campaignId), [event], {
        expectedVersion: 'any',
        idempotencyKey,
        metadata: { ...metadata, causationId: idempotencyKey },
      });
    },
    async recordCampaignFact(campaignId, fact, { idempotencyKey, metadata }) {
      const event = { type: fact.type, data: { campaignId, ...fact.data } } as StoreEvent;
      await store.appendToStream(campaignStream(campaignId), [event], {
        expectedVersion: 'any',
        idempotencyKey,
        metadata: { ...metadata, causationId: idempotencyKey },
      });
    },
  };
}
