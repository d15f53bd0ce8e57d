import { describeIssues, type AnyEvent, type EventCatalog } from './catalog/catalog';
import { EventStoreError, InvalidEventError } from './errors';
import { eventMetadataSchema, type EventMetadata } from './metadata';
import type { Db } from './db';
import { appendOne } from './append-many';

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
  /** The writing transaction; appends to other streams coalesced with this one (group commit) share it. */
  readonly transactionId: bigint;
  readonly recordedAt: Date;
  /** The last event's chain digest. */
  readonly digest: string;
  /** True when the idempotency key had been used: these are the original events, nothing was written. */
  readonly duplicate: boolean;
}

/** An append checked against the catalog and encoded, ready for the statement (append-many.ts). */
export interface PreparedAppend {
  readonly streamId: string;
  /** null: any version. */
  readonly expected: number | null;
  /** The idempotency key, null for none. */
  readonly key: string | null;
  /** Events in the append. */
  readonly count: number;
  /** The first event's fields as the statement sends them (append-known-head.ts). */
  readonly first: { readonly type: string; readonly schemaVersion: number; readonly dataJson: string; readonly metadataJson: string };
  /** This append's element of the statement's JSON array, serialised once. */
  readonly json: string;
}

/**
 * Checks an append in Node before anything goes to the database: every event against
 * the catalog (type known, stream category, schema) and the metadata; any failure throws,
 * so nothing of the batch is written.
 */
export function prepareAppend<E extends AnyEvent>(catalog: EventCatalog<E>, streamId: string, events: readonly E[], options: AppendOptions): PreparedAppend {
  if (events.length === 0) throw new InvalidEventError('(none)', ['an append needs at least one event']);
  const encoded = events.map((event) => catalog.encode(streamId, event));
  const metadata = eventMetadataSchema.safeParse(options.metadata);
  if (!metadata.success) throw new InvalidEventError(encoded[0]?.type ?? '(none)', describeIssues(metadata.error).map((p) => `metadata.${p}`));
  const expected = options.expectedVersion === 'any' ? null : options.expectedVersion;
  if (expected !== null && !(Number.isSafeInteger(expected) && expected >= 0)) {
    throw new EventStoreError(`expectedVersion must be a whole number ≥ 0 or 'any', got ${String(expected)}`);
  }
  const key = options.idempotencyKey ?? null;
  const json = JSON.stringify({
    stream: streamId,
    expected,
    key,
    events: encoded.map((e) => ({ ...e, metadata: metadata.data })),
  });
  const first = encoded[0]!;
  return {
    streamId,
    expected,
    key,
    count: encoded.length,
    json,
    first: { type: first.type, schemaVersion: first.schemaVersion, dataJson: JSON.stringify(first.data), metadataJson: JSON.stringify(metadata.data) },
  };
}

/**
 * Appends events to one stream in one statement (one round trip, one transaction) of its
 * own; the store coalesces concurrent appends instead (group-commit.ts). See
 * docs/event-store.md, "The append".
 */
export async function appendToStream<E extends AnyEvent>(
  db: Db,
  catalog: EventCatalog<E>,
  streamId: string,
  events: readonly E[],
  options: AppendOptions,
): Promise<AppendResult> {
  return appendOne(db, prepareAppend(catalog, streamId, events, options));
}
