import { describeIssues, type AnyEvent, type EventCatalog } from './catalog/catalog';
import { EventStoreError, InvalidEventError, StreamVersionConflictError } from './errors';
import { eventMetadataSchema, type EventMetadata } from './metadata';
import type { Db } from './db';
import { Prisma } from './generated/prisma/client';
import { isUniqueViolation } from './prisma-errors';

export interface AppendOptions {
  /** The version the writer read: 0 for a stream that must not exist yet, 'any' to skip the check. */
  readonly expectedVersion: number | 'any';
  /** Makes the append idempotent within the stream: a retry returns the first result and writes nothing. */
  readonly idempotencyKey?: string;
  readonly metadata: EventMetadata;
}

export interface AppendResult {
  readonly streamId: string;
  /** Version of the first and last event of this append; the stream's version is `lastVersion` after it. */
  readonly firstVersion: number;
  readonly lastVersion: number;
  readonly globalPositions: readonly bigint[];
  readonly transactionId: bigint;
  readonly recordedAt: Date;
  /** The last event's chain digest. */
  readonly digest: string;
  /** True when the idempotency key had been used: these are the original events, nothing was written. */
  readonly duplicate: boolean;
}

type AppendRow =
  | { outcome: 'appended' | 'duplicate'; global_position: bigint; stream_version: bigint; transaction_id: bigint; recorded_at: Date; digest: string }
  | { outcome: 'conflict'; global_position: null; stream_version: bigint; transaction_id: null; recorded_at: null; digest: null };
type WrittenRow = Extract<AppendRow, { outcome: 'appended' | 'duplicate' }>;

/** Retries of an 'any' append that lost a race for the next version; each retry is a fresh statement. */
const MAX_ANY_RETRIES = 20;

/**
 * Appends events to one stream: validated against the catalog first (nothing is written
 * when one is invalid), then written by one SQL statement, so one round trip and one
 * transaction (docs/event-store.md, "The append statement").
 */
export async function appendToStream<E extends AnyEvent>(
  db: Db,
  catalog: EventCatalog<E>,
  streamId: string,
  events: readonly E[],
  options: AppendOptions,
): Promise<AppendResult> {
  if (events.length === 0) throw new InvalidEventError('(none)', ['an append needs at least one event']);
  const encoded = events.map((event) => catalog.encode(streamId, event));
  const metadata = eventMetadataSchema.safeParse(options.metadata);
  if (!metadata.success) throw new InvalidEventError(encoded[0]?.type ?? '(none)', describeIssues(metadata.error).map((p) => `metadata.${p}`));
  const payload = JSON.stringify(encoded.map((e) => ({ ...e, metadata: metadata.data })));
  const expected = options.expectedVersion === 'any' ? null : options.expectedVersion;
  if (expected !== null && !(Number.isSafeInteger(expected) && expected >= 0)) {
    throw new EventStoreError(`expectedVersion must be a whole number ≥ 0 or 'any', got ${String(expected)}`);
  }
  const key = options.idempotencyKey ?? null;

  for (let attempt = 0; ; attempt++) {
    let rows: AppendRow[];
    try {
      rows = await runAppend(db, streamId, expected, payload, key);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Another writer committed the same next version (or the same idempotency key)
      // first. With a key, the retry finds that append and returns it.
      // With an expected version and a key, the retry ends at once: it finds that append
      // (duplicate) or reports the new head (conflict).
      if ((expected !== null && key === null) || attempt >= MAX_ANY_RETRIES) {
        throw new StreamVersionConflictError(streamId, expected ?? -1, undefined);
      }
      continue;
    }
    // The function looks the key up before it reads the head, each with its own
    // snapshot: an append with the same key that commits in between shows up as a
    // version conflict. Asking once more finds that append and returns it as a duplicate.
    if (rows[0]?.outcome === 'conflict' && key !== null && attempt === 0) continue;
    return toResult(streamId, expected, rows);
  }
}

function toResult(streamId: string, expected: number | null, rows: AppendRow[]): AppendResult {
  const first = rows[0];
  if (!first) throw new Error(`append to ${streamId} returned no row`);
  if (first.outcome === 'conflict') throw new StreamVersionConflictError(streamId, expected ?? -1, Number(first.stream_version));
  const written = rows.filter((r): r is WrittenRow => r.outcome !== 'conflict');
  const last = written.at(-1) ?? first;
  return {
    streamId,
    firstVersion: Number(first.stream_version),
    lastVersion: Number(last.stream_version),
    globalPositions: written.map((r) => r.global_position),
    transactionId: first.transaction_id,
    recordedAt: first.recorded_at,
    digest: last.digest,
    duplicate: first.outcome === 'duplicate',
  };
}

/**
 * The append statement: one call of the SQL function `bankswitch_append` (source in
 * append.sql). It reads the stream's head (one index probe) and, unless the idempotency
 * key was used or the head is not the expected version, inserts the events with the next
 * versions and their chained digests. The unique index on (stream_id, stream_version)
 * serialises two writers: the later one waits on the index entry until the earlier
 * commits, then fails with 23505, so nothing is ever overwritten.
 */
function runAppend(db: Db, streamId: string, expected: number | null, payload: string, key: string | null) {
  return db.$queryRaw<AppendRow[]>(appendStatement(streamId, expected, payload, key));
}

/** The append statement for a JSON array of encoded events (exported for the benchmark's cost breakdown). */
export function appendStatement(streamId: string, expected: number | null, payload: string, key: string | null): Prisma.Sql {
  return Prisma.sql`SELECT outcome, global_position, stream_version, transaction_id, recorded_at, digest
    FROM bankswitch_append(${streamId}, ${expected}::bigint, ${payload}::jsonb, ${key}::text)`;
}
