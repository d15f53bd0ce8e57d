// The baseline of `npm run bench:events`: a plain table with the events table's columns,
// defaults and indexes (no trigger, no function), written with plain `pg` INSERTs whose
// versions and chain digests the client computes itself.
import { createHash } from 'node:crypto';
import type pg from 'pg';
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

export interface RawStream {
  readonly id: string;
  version: number;
  digest: string;
}

export async function rawAppend(pool: pg.Pool, stream: RawStream, events: readonly BankswitchEvent[], metadata: object): Promise<void> {
  const values: unknown[] = [];
  const tuples: string[] = [];
  const metadataText = JSON.stringify(metadata);
  for (const event of events) {
    const dataText = JSON.stringify(event.data);
    const version = ++stream.version;
    const previous = stream.digest;
    stream.digest = createHash('sha256').update(`${previous}\n${stream.id}\n${version}\n${event.type}\n1\n${dataText}\n${metadataText}`).digest('hex');
    const base = values.length;
    values.push(stream.id, version, event.type, 1, dataText, metadataText, stream.digest, previous);
    tuples.push(`(${Array.from({ length: 8 }, (_, i) => `$${base + i + 1}`).join(', ')})`);
  }
  await pool.query(
    `INSERT INTO bench_raw_events (stream_id, stream_version, type, schema_version, data, metadata, digest, previous_digest) VALUES ${tuples.join(', ')}`,
    values,
  );
}
