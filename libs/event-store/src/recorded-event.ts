import { Prisma } from './generated/prisma/client';
import type { AnyEvent, EventCatalog } from './catalog/catalog';
import type { EventMetadata } from './metadata';
import type { LogPosition } from './positions';

/** An event as read back: upcast to the current schema version, with where and when it was recorded. */
export type RecordedEvent<E extends AnyEvent = AnyEvent> = E & {
  readonly streamId: string;
  readonly streamVersion: number;
  readonly position: LogPosition;
  /** The schema version the row was written with (data is always the current version). */
  readonly storedSchemaVersion: number;
  readonly metadata: EventMetadata;
  readonly recordedAt: Date;
  readonly digest: string;
};

export interface EventRow {
  global_position: bigint;
  transaction_id: bigint;
  stream_id: string;
  stream_version: bigint;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: EventMetadata;
  recorded_at: Date;
  digest: string;
}

/** The columns every reader selects (xid8 read as bigint: the adapter has no xid8 decoder). */
export const EVENT_COLUMNS = Prisma.sql`global_position, transaction_id::text::bigint AS transaction_id, stream_id,
  stream_version, type, schema_version, data, metadata, recorded_at, digest`;

export function toRecordedEvent<E extends AnyEvent>(catalog: EventCatalog<E>, row: EventRow): RecordedEvent<E> {
  const event = catalog.decode(row.type, row.schema_version, row.data);
  return {
    ...event,
    streamId: row.stream_id,
    streamVersion: Number(row.stream_version),
    position: { transactionId: row.transaction_id, globalPosition: row.global_position },
    storedSchemaVersion: row.schema_version,
    metadata: row.metadata,
    recordedAt: row.recorded_at,
    digest: row.digest,
  };
}
