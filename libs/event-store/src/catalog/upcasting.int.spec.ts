import { expect, test } from 'vitest';
import { testStore } from '../../test/support';

const { prisma, store, unique } = testStore();

test('a row written as schema version 1 reads as version 2; the row is not rewritten', async () => {
  const campaign = unique('c');
  const stream = `campaign-${campaign}`;
  const v1 = { hostId: 'esx-9', error: 'the host did not come back', bootLog: 'loading bank 1\nfell back to bank 0\n' };
  // As older code wrote it (through the same digest function, so the chain holds).
  await prisma.$executeRaw`
    INSERT INTO events (stream_id, stream_version, type, schema_version, data, metadata, recorded_at, digest, previous_digest)
    SELECT ${stream}, 1, 'HostFailed', 1, ${JSON.stringify(v1)}::jsonb, '{}'::jsonb, t,
      bankswitch_event_digest(repeat('0', 64), ${stream}, 1, 'HostFailed', 1, ${JSON.stringify(v1)}::jsonb, '{}'::jsonb, NULL, t),
      repeat('0', 64)
    FROM (SELECT now() AS t) AS now`;
  await store.appendToStream(
    stream,
    [{ type: 'HostFailed', data: { hostId: 'esx-8', reason: 'staging failed: disk full', bootLog: [], attempt: 1 } }],
    { expectedVersion: 1, metadata: {} },
  );
  const [old, current] = await store.readStream(stream);
  expect(old).toMatchObject({ storedSchemaVersion: 1, type: 'HostFailed' });
  // A field added later without a version bump (attempt) reads with its default.
  expect(old!.data).toEqual({ hostId: 'esx-9', attempt: 1, reason: 'the host did not come back', bootLog: ['loading bank 1', 'fell back to bank 0'] });
  expect(current!.storedSchemaVersion).toBe(2);
  const stored = await prisma.$queryRaw<{ data: unknown }[]>`SELECT data FROM events WHERE stream_id = ${stream} AND stream_version = 1`;
  expect(stored[0]!.data).toEqual(v1);
  expect((await store.verifyStream(stream)).ok).toBe(true);
});
