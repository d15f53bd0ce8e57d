import type { AnyEvent, EventCatalog } from './catalog/catalog';
import type { Db } from './db';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow, type RecordedEvent } from './recorded-event';

export interface ReadStreamOptions {
  /** First version to return (default 1). */
  readonly fromVersion?: number;
  /** Only events recorded at or before this instant (time travel), compared at JavaScript's millisecond precision. */
  readonly recordedUpTo?: Date;
  /** At most this many events (default: all). */
  readonly limit?: number;
}

/** A stream's events in version order, upcast to the current schema versions. */
export async function readStream<E extends AnyEvent>(db: Db, catalog: EventCatalog<E>, streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent<E>[]> {
  const rows = await db.$queryRaw<EventRow[]>`
    SELECT ${EVENT_COLUMNS} FROM events
    WHERE stream_id = ${streamId} AND stream_version >= ${options.fromVersion ?? 1}
      AND (${options.recordedUpTo ?? null}::timestamptz IS NULL OR date_trunc('milliseconds', recorded_at) <= ${options.recordedUpTo ?? null}::timestamptz)
    ORDER BY stream_version
    LIMIT ${options.limit ?? null}`;
  return rows.map((row) => toRecordedEvent(catalog, row));
}
