// The activities' ports over Bankswitch's event store: host events in `host-<id>`
// streams, campaign events in `campaign-<id>` streams.
import type { HostEvent } from '@bankswitch/banks';
import { streamEntityId, type LogPosition } from '@bankswitch/event-store';
import { campaignStream, hostStream, type BankswitchStore } from '@bankswitch/records';
import type { HostOutcome } from './contracts';
import { EMPTY_HISTORY, HostSnapshots, foldSnapshot } from './host-snapshots';
import type { CampaignLog, HostEndsPage, HostHistory, HostHistorySnapshot, LogCursor } from './ports';

/** Events of the log one `hostEnds` call reads at most (of every host, whatever their type). */
const HOST_ENDS_PAGE = 1000;

/**
 * The metadata's causation id carries the idempotency key of the append (the activity
 * execution, or the boot, that caused it), so `load` knows which appends are done.
 *
 * Every load asks PostgreSQL (other workers, the API and the drift watch write too), but
 * only for the events after the snapshot this worker folded last (host-snapshots.ts);
 * an append made here moves that snapshot on by itself, since the store wrote exactly
 * these events at exactly that version.
 */
export function storeHostHistory(store: BankswitchStore, options: { cachedHosts?: number } = {}): HostHistory {
  const snapshots = new HostSnapshots(options.cachedHosts);
  async function load(hostId: string): Promise<HostHistorySnapshot> {
    const known = snapshots.get(hostId);
    const events = await store.readStream(hostStream(hostId), known ? { fromVersion: known.version + 1 } : {});
    const snapshot = foldSnapshot(
      known ?? EMPTY_HISTORY,
      events.map((e) => ({ event: e as HostEvent, version: e.streamVersion, key: e.metadata.causationId })),
    );
    snapshots.set(hostId, snapshot);
    return snapshot;
  }
  /** The snapshot moved on by an append written right after it (it holds exactly those events); undefined otherwise. */
  function movedOn(hostId: string, result: { readonly duplicate: boolean; readonly firstVersion: number }, events: readonly HostEvent[], key: string): HostHistorySnapshot | undefined {
    const known = snapshots.get(hostId);
    if (result.duplicate || !known || result.firstVersion !== known.version + 1) return undefined;
    const after = foldSnapshot(known, events.map((event, i) => ({ event, version: result.firstVersion + i, key })));
    snapshots.set(hostId, after);
    return after;
  }
  return {
    load,
    async append(hostId, events, { expectedVersion, idempotencyKey, metadata }) {
      const result = await store.appendToStream(hostStream(hostId), events, { expectedVersion, idempotencyKey, metadata: { ...metadata, causationId: idempotencyKey } });
      // A duplicate (an earlier attempt wrote it), or a snapshot this worker does not hold: read it.
      return movedOn(hostId, result, events, idempotencyKey) ?? load(hostId);
    },
    async record(hostId, events, { idempotencyKey, metadata }) {
      const result = await store.appendToStream(hostStream(hostId), events, { expectedVersion: 'any', idempotencyKey, metadata: { ...metadata, causationId: idempotencyKey } });
      // Written after events the snapshot has not seen: the next load reads them all.
      movedOn(hostId, result, events, idempotencyKey);
    },
  };
}

export function storeCampaignLog(store: BankswitchStore): CampaignLog {
  return {
    async append(campaignId, events, { expectedVersion, idempotencyKey, metadata }) {
      await store.appendToStream(campaignStream(campaignId), events, { expectedVersion, idempotencyKey, metadata: { ...metadata, causationId: idempotencyKey } });
    },
    async hostEnds(campaignId, after): Promise<HostEndsPage> {
      // Every end of the campaign's hosts commits after its first event (each host is
      // started after HostStarted is appended), so reading from there misses none.
      const from = after ? positionOf(after) : (await store.readStream(campaignStream(campaignId), { limit: 1 }))[0]?.position;
      if (!from) return { ends: [], after: null, more: false };
      const { events, position } = await store.readAll({ after: from, streamPrefix: 'host-', limit: HOST_ENDS_PAGE });
      const ends: HostOutcome[] = [];
      for (const event of events) {
        if (event.type !== 'UpgradeEnded' || event.data.campaignId !== campaignId) continue;
        const { attempt, endState, cause, reason, failedStep, bootLog, settle } = event.data;
        ends.push({ hostId: streamEntityId(event.streamId), attempt, endState, cause, reason, bootLog, ...(failedStep ? { failedStep } : {}), ...(settle ? { settle } : {}) });
      }
      return { ends, after: cursorOf(position), more: events.length === HOST_ENDS_PAGE };
    },
  };
}

const positionOf = (cursor: LogCursor): LogPosition => ({ transactionId: BigInt(cursor.transactionId), globalPosition: BigInt(cursor.globalPosition) });
const cursorOf = (position: LogPosition): LogCursor => ({ transactionId: position.transactionId.toString(), globalPosition: position.globalPosition.toString() });
