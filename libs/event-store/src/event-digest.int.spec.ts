import { describe, expect, test } from 'vitest';
import { testStore, upgradeEvents } from '../test/support';
import { GENESIS_DIGEST, chainDigest } from './chain';

const { store, prisma, unique } = testStore(2);

describe('the chain digest in PostgreSQL (bankswitch_event_digest)', () => {
  // Not inlined, each call runs as a function call of its own (about 50 µs of the
  // server's time per event): the migration 20261201060000_event_digest_inlinable says why.
  test('is inlined into the statements that call it', async () => {
    const plan = await prisma.$queryRawUnsafe<{ 'QUERY PLAN': string }[]>(
      `EXPLAIN (VERBOSE) SELECT bankswitch_event_digest(previous_digest, stream_id, stream_version, type, schema_version,
         data, metadata, idempotency_key, recorded_at) FROM events`,
    );
    const text = plan.map((row) => row['QUERY PLAN']).join('\n');
    expect(text).toContain('sha256');
    expect(text).not.toContain('bankswitch_event_digest');
  });

  test('is the formula the verifier recomputes on its own', async () => {
    const stream = unique('host-digest');
    const { digest } = await store.appendToStream(stream, [upgradeEvents.observed], { expectedVersion: 0, idempotencyKey: 'k-1', metadata: { operator: 'alice' } });
    const [row] = await prisma.$queryRawUnsafe<{ data: string; metadata: string; at: bigint }[]>(
      `SELECT data::text AS data, metadata::text AS metadata, (extract(epoch FROM recorded_at) * 1000000)::bigint AS at FROM events WHERE stream_id = $1`,
      stream,
    );
    expect(digest).toBe(
      chainDigest(GENESIS_DIGEST, {
        streamId: stream,
        streamVersion: 1n,
        type: upgradeEvents.observed.type,
        schemaVersion: 1,
        dataText: row!.data,
        metadataText: row!.metadata,
        idempotencyKey: 'k-1',
        recordedAtMicros: row!.at,
      }),
    );
  });
});
