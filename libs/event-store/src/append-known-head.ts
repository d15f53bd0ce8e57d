// The append at a head this process knows (stream-heads.ts): one plain INSERT, as a
// client keeping its own versions would send, with the chain digest and the recorded time
// still computed by PostgreSQL (bankswitch_event_digest, the database's clock). No head
// read, no key lookup, no PL/pgSQL: the unique indexes on (stream_id, stream_version) and
// (stream_id, idempotency_key) are the checks. When one refuses (a stale head, a taken
// version, a retry's key), nothing is written and the caller asks bankswitch_append_many,
// which reads the head and tells appended, duplicate or conflict apart.
import type { AppendResult, PreparedAppend } from './append';
import type { Db } from './db';
import { isUniqueViolation } from './prisma-errors';
import type { StreamHead, StreamHeads } from './stream-heads';

/** Each written row: '<stream version> <global position> <transaction id> <recorded_at, µs since epoch> <digest>'. */
type Row = { line: string };

/**
 * One event at a known head. Both statements are fixed texts with numbered parameters
 * rather than Prisma's tagged templates, which number every interpolation anew: here the
 * digest's arguments repeat the row's, and each value (the event's JSON too) is sent once
 * instead of twice. Fewer parameters are less work for Prisma and PostgreSQL on every call.
 */
const APPEND_ONE_AT_HEAD = `/* prepare:bankswitch_append_at_head_1 */
  INSERT INTO events AS e (stream_id, stream_version, type, schema_version, data, metadata, idempotency_key,
                           recorded_at, digest, previous_digest)
  SELECT $1, $2::bigint, $3, $4::integer, $5::jsonb, $6::jsonb, $7, m.at,
         bankswitch_event_digest($9, $1, $2::bigint, $3, $4::integer, $5::jsonb, $6::jsonb, $7, m.at), $9
  FROM (SELECT greatest(now(), 'epoch'::timestamptz + $8::bigint * interval '1 microsecond') AS at) AS m
  ON CONFLICT DO NOTHING
  RETURNING concat_ws(' ', e.stream_version, e.global_position, e.transaction_id, (extract(epoch FROM e.recorded_at) * 1000000)::bigint, e.digest) AS line`;

/**
 * Several events at a known head ($1 the append's JSON, $2 the last recorded time, $3 the
 * head's digest, $4 the stream, $5 the head's version, $6 the key): they chain in a
 * recursive CTE, each digest over the one before. No ON CONFLICT, which would skip only
 * the taken versions of a stale head and keep the rest; a refusal fails the whole
 * statement (23505).
 */
const APPEND_SEVERAL_AT_HEAD = `/* prepare:bankswitch_append_at_head_n */
  WITH RECURSIVE
    given AS (
      SELECT x.n, x.ev FROM jsonb_array_elements($1::jsonb -> 'events') WITH ORDINALITY AS x(ev, n)
    ),
    moment AS (
      SELECT greatest(now(), 'epoch'::timestamptz + $2::bigint * interval '1 microsecond') AS at
    ),
    chain (n, previous, digest) AS (
      SELECT 0::bigint, NULL::text, $3::text
      UNION ALL
      SELECT g.n, c.digest,
             bankswitch_event_digest(c.digest, $4::text, $5::bigint + g.n, g.ev ->> 'type',
               (g.ev ->> 'schemaVersion')::integer, g.ev -> 'data', g.ev -> 'metadata',
               CASE WHEN g.n = 1 THEN $6::text END, m.at)
      FROM chain c JOIN given g ON g.n = c.n + 1 CROSS JOIN moment m
    )
  INSERT INTO events AS e (stream_id, stream_version, type, schema_version, data, metadata, idempotency_key,
                           recorded_at, digest, previous_digest)
  SELECT $4::text, $5::bigint + g.n, g.ev ->> 'type', (g.ev ->> 'schemaVersion')::integer,
         g.ev -> 'data', g.ev -> 'metadata', CASE WHEN g.n = 1 THEN $6::text END, m.at, c.digest, c.previous
  FROM chain c JOIN given g ON g.n = c.n CROSS JOIN moment m
  ORDER BY g.n
  RETURNING concat_ws(' ', e.stream_version, e.global_position, e.transaction_id, (extract(epoch FROM e.recorded_at) * 1000000)::bigint, e.digest) AS line`;

/**
 * Appends `append` right after `head` and remembers the new head; undefined when the
 * indexes refused it (nothing written).
 */
export async function appendAtKnownHead(db: Db, append: PreparedAppend, head: StreamHead, heads: StreamHeads): Promise<AppendResult | undefined> {
  const lastAt = head.recordedAtMicros === null ? null : head.recordedAtMicros.toString();
  let rows: Row[];
  try {
    rows =
      append.count === 1
        ? // One event: one row, so ON CONFLICT DO NOTHING cannot keep half an append, and a
          // refusal is an empty answer rather than an error in the server's log.
          await db.$queryRawUnsafe<Row[]>(
            APPEND_ONE_AT_HEAD,
            append.streamId,
            head.version + 1,
            append.first.type,
            append.first.schemaVersion,
            append.first.dataJson,
            append.first.metadataJson,
            append.key,
            lastAt,
            head.digest,
          )
        : await db.$queryRawUnsafe<Row[]>(APPEND_SEVERAL_AT_HEAD, append.json, lastAt, head.digest, append.streamId, head.version, append.key);
  } catch (error) {
    if (isUniqueViolation(error)) return undefined;
    throw error;
  }
  if (rows.length === 0) return undefined;
  if (rows.length !== append.count) throw new Error(`the append to ${append.streamId} wrote ${rows.length} of its ${append.count} events`);
  const written = rows.map(({ line }) => line.split(' ')).sort((a, b) => Number(a[0]) - Number(b[0]));
  const [, , transaction, recordedUs] = written[0]!;
  const digest = written[written.length - 1]![4]!;
  const lastVersion = head.version + append.count;
  heads.remember(append.streamId, { version: lastVersion, digest, recordedAtMicros: BigInt(recordedUs!) });
  return {
    streamId: append.streamId,
    firstVersion: head.version + 1,
    lastVersion,
    globalPositions: written.map(([, position]) => BigInt(position!)),
    transactionId: BigInt(transaction!),
    recordedAt: new Date(Number(BigInt(recordedUs!) / 1000n)),
    digest,
    duplicate: false,
  };
}
