// The baselines of `npm run bench:events`: a plain table with the events table's columns,
// defaults and indexes (no trigger, no function), written with plain multi-row INSERTs
// whose versions and chain digests the client computes itself: through the same Prisma
// client as the store (the fair floor of the mandated path) and through plain `pg`
// (for reference: what Prisma's per-call cost hides).
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { PrismaClient } from '@bankswitch/event-store';
import type { BankswitchEvent } from '@bankswitch/records';

export async function createRawTable(pool: pg.Pool): Promise<void> {
  await pool.query(`
    DROP TABLE IF EXISTS bench_raw_events;
    CREATE TABLE bench_raw_events (
      global_position bigserial PRIMARY KEY,
      stream_id text NOT NULL,
      stream_version bigint NOT NULL,
      type text NOT NULL,
      schema_version integer NOT NULL,
      data jsonb NOT NULL,
      metadata jsonb NOT NULL DEFAULT '{}',
      idempotency_key text,
      transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
      recorded_at timestamptz(6) NOT NULL DEFAULT now(),
      digest text NOT NULL,
      previous_digest text NOT NULL
    );
    CREATE UNIQUE INDEX ON bench_raw_events (stream_id, stream_version);
    CREATE UNIQUE INDEX ON bench_raw_events (stream_id, idempotency_key);
    CREATE INDEX ON bench_raw_events (transaction_id, global_position);`);
}

/** A stream as the plain writer keeps it: its head version and digest, known without asking. */
export interface RawStream {
  readonly id: string;
  version: number;
  digest: string;
}

/** The plain INSERT of an append's rows (the key on the first, as the store keeps it). */
export function rawInsert(stream: RawStream, events: readonly BankswitchEvent[], key: string, metadata: object): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const tuples: string[] = [];
  const metadataText = JSON.stringify(metadata);
  events.forEach((event, i) => {
    const dataText = JSON.stringify(event.data);
    const version = ++stream.version;
    const previous = stream.digest;
    const rowKey = i === 0 ? key : null;
    stream.digest = createHash('sha256')
      .update(`${previous}\n${stream.id}\n${version}\n${event.type}\n1\n${dataText}\n${metadataText}\n${rowKey ?? ''}`)
      .digest('hex');
    const base = values.length;
    values.push(stream.id, version, event.type, 1, dataText, metadataText, rowKey, stream.digest, previous);
    tuples.push(`(${Array.from({ length: 9 }, (_, k) => `$${base + k + 1}`).join(', ')})`);
  });
  return {
    text: `INSERT INTO bench_raw_events (stream_id, stream_version, type, schema_version, data, metadata, idempotency_key, digest, previous_digest) VALUES ${tuples.join(', ')}`,
    values,
  };
}

export const rawViaPg = (pool: pg.Pool) => async (statement: { text: string; values: unknown[] }) => {
  await pool.query(statement.text, statement.values);
};

export const rawViaPrisma = (prisma: PrismaClient) => async (statement: { text: string; values: unknown[] }) => {
  await prisma.$executeRawUnsafe(statement.text, ...statement.values);
};
