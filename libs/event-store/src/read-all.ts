import type { AnyEvent, EventCatalog } from './catalog/catalog';
import type { Db } from './db';
import { LOG_START, type LogPosition } from './positions';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow, type RecordedEvent } from './recorded-event';

export interface ReadAllOptions {
  /** Read events after this position (default: from the start). */
  readonly after?: LogPosition;
  readonly limit?: number;
  /** Only streams whose id starts with this (e.g. 'host-'). */
  readonly streamPrefix?: string;
}

export interface ReadAllResult<E extends AnyEvent = AnyEvent> {
  readonly events: RecordedEvent<E>[];
  /** Where the next read continues: the last event's position, or `after` when none was read. */
  readonly position: LogPosition;
}

/**
 * The global log in commit order. Global positions are allocated before commit, so a
 * slow transaction can commit a lower position after a faster one committed a higher
 * one. Reading only transactions below the snapshot's xmin (the oldest still running)
 * and ordering by (transaction_id, global_position) means every event this returns is
 * final and no later commit can sort before it: nothing is ever skipped.
 */
export async function readAll<E extends AnyEvent>(db: Db, catalog: EventCatalog<E>, options: ReadAllOptions = {}): Promise<ReadAllResult<E>> {
  const after = options.after ?? LOG_START;
  const prefix = options.streamPrefix ?? null;
  const rows = await db.$queryRaw<EventRow[]>`
    SELECT ${EVENT_COLUMNS} FROM events
    WHERE (transaction_id, global_position) > (${after.transactionId}::text::xid8, ${after.globalPosition}::bigint)
      AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
      AND (${prefix}::text IS NULL OR starts_with(stream_id, ${prefix}::text))
    ORDER BY transaction_id, global_position
    LIMIT ${options.limit ?? 1000}`;
  const events = rows.map((row) => toRecordedEvent(catalog, row));
  return { events, position: events.at(-1)?.position ?? after };
}
