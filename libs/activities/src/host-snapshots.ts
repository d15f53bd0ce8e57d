// The host histories this worker folded last, so that the next look at a host reads and
// folds only the events after them. An upgrade loads its host's history at nearly every
// step; read whole, every load decoded (zod) and folded every event the host ever had,
// a cost that grew with each upgrade of it.
import { evolveAll, initialState, type HostEvent } from '@bankswitch/banks';
import type { HostHistorySnapshot } from './ports';

/** The snapshot of a stream nothing was read from yet. */
export const EMPTY_HISTORY: HostHistorySnapshot = { state: initialState(), version: 0, keys: new Set() };

/** One event as read back: its stream version and the idempotency key of the append that wrote it. */
export interface FoldedEvent {
  readonly event: HostEvent;
  readonly version: number;
  readonly key: string | undefined;
}

/** `snapshot` with `events` (the ones after it, in version order) folded in. A new snapshot: the one given is not changed. */
export function foldSnapshot(snapshot: HostHistorySnapshot, events: readonly FoldedEvent[]): HostHistorySnapshot {
  const last = events.at(-1);
  if (!last) return snapshot;
  const keys = new Set(snapshot.keys);
  for (const { key } of events) if (key !== undefined) keys.add(key);
  return { state: evolveAll(snapshot.state, events.map((e) => e.event)), version: last.version, keys };
}

/**
 * At most `maxHosts` snapshots, the least recently used dropped first (as many as the
 * worker keeps workflows cached: the hosts in flight). Snapshots are immutable, so one
 * that another look replaced while a step still held it stays what it was.
 */
export class HostSnapshots {
  private readonly byHost = new Map<string, HostHistorySnapshot>();

  constructor(private readonly maxHosts = 2_000) {}

  get(hostId: string): HostHistorySnapshot | undefined {
    const snapshot = this.byHost.get(hostId);
    if (snapshot) {
      // Map order is insertion order: moved to the end, it is the most recently used.
      this.byHost.delete(hostId);
      this.byHost.set(hostId, snapshot);
    }
    return snapshot;
  }

  set(hostId: string, snapshot: HostHistorySnapshot): void {
    this.byHost.delete(hostId);
    this.byHost.set(hostId, snapshot);
    const oldest = this.byHost.keys().next();
    if (this.byHost.size > this.maxHosts && !oldest.done) this.byHost.delete(oldest.value);
  }

  get size(): number {
    return this.byHost.size;
  }
}
