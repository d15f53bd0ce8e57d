// The heads of the streams this process appended to last: version, digest and recorded
// time of each stream's last event, as the append that wrote it answered. An append whose
// expected version is a known head needs no head read and no PL/pgSQL
// (append-known-head.ts). A head here may be stale (another process appended since):
// that costs one refused insert, never a wrong write, since the unique index on
// (stream_id, stream_version) refuses a version that is taken.

/** A stream's last event, as far as this process knows. */
export interface StreamHead {
  readonly version: number;
  readonly digest: string;
  /** µs since the epoch; null for a stream without events. */
  readonly recordedAtMicros: bigint | null;
}

/** The head of a stream that has no events yet: what an append expecting version 0 chains to. */
export const EMPTY_STREAM_HEAD: StreamHead = { version: 0, digest: '0'.repeat(64), recordedAtMicros: null };

/** Heads kept at most; the oldest known is forgotten first (a forgotten head costs one head read). */
const DEFAULT_CAPACITY = 20_000;

export interface StreamHeads {
  /** The head to append at, when this process knows it and it is the one the writer expects. */
  headFor(streamId: string, expected: number | null): StreamHead | undefined;
  remember(streamId: string, head: StreamHead): void;
  forget(streamId: string): void;
}

export function createStreamHeads(capacity = DEFAULT_CAPACITY): StreamHeads {
  const heads = new Map<string, StreamHead>();
  return {
    headFor(streamId, expected) {
      const known = heads.get(streamId);
      if (known) return expected === null || expected === known.version ? known : undefined;
      // A writer that expects an empty stream names its head itself; if the stream is not
      // empty, version 1 is taken and the insert is refused.
      return expected === 0 ? EMPTY_STREAM_HEAD : undefined;
    },
    remember(streamId, head) {
      // Re-inserting moves the stream to the newest end of the map's order.
      heads.delete(streamId);
      heads.set(streamId, head);
      if (heads.size > capacity) heads.delete(heads.keys().next().value!);
    },
    forget(streamId) {
      heads.delete(streamId);
    },
  };
}
