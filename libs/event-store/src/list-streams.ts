import type { Db } from './db';

export interface StreamSummary {
  readonly streamId: string;
  /** When its first event was recorded. */
  readonly startedAt: Date;
  readonly version: number;
}

/** Streams whose id starts with `prefix`, newest first (by their first event). */
export async function listStreams(db: Db, prefix: string, options: { limit?: number } = {}): Promise<StreamSummary[]> {
  const rows = await db.$queryRaw<{ stream_id: string; started_at: Date; version: bigint }[]>`
    SELECT first.stream_id, first.recorded_at AS started_at,
      (SELECT max(stream_version) FROM events e WHERE e.stream_id = first.stream_id) AS version
    FROM events first
    WHERE first.stream_version = 1 AND starts_with(first.stream_id, ${prefix})
    ORDER BY first.recorded_at DESC, first.stream_id
    LIMIT ${options.limit ?? 100}`;
  return rows.map((r) => ({ streamId: r.stream_id, startedAt: r.started_at, version: Number(r.version) }));
}
