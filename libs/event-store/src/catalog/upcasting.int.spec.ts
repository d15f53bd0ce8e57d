import { expect, test } from 'vitest';
import { testStore } from '../../test/support';

const { prisma, store, unique } = testStore();

test('a HostUpgradeFailed row written as schema version 1 reads as version 2; the row is not rewritten', async () => {
  const campaign = unique('c');
  const stream = `campaign-${campaign}`;
  const v1 = { campaignId: campaign, hostId: 'esx-9', wave: 0, toBuild: '8.0.3', error: 'the host did not come back', bootLog: 'loading bank 1\nfell back to bank 0\n' };
  // As older code wrote it (through the same digest function, so the chain holds).
  await prisma.$executeRaw`
    INSERT INTO events (stream_id, stream_version, type, schema_version, data, metadata, recorded_at, digest, previous_digest)
    SELECT ${stream}, 1, 'HostUpgradeFailed', 1, ${JSON.stringify(v1)}::jsonb, '{}'::jsonb, t,
      bankswitch_event_digest(repeat('0', 64), ${stream}, 1, 'HostUpgradeFailed', 1, ${JSON.stringify(v1)}::jsonb, '{}'::jsonb, NULL, t),
      repeat('0', 64)
    FROM (SELECT now() AS t) AS now`;
  await store.appendToStream(
    stream,
    [{ type: 'HostUpgradeFailed', data: { campaignId: campaign, hostId: 'esx-8', wave: 0, toBuild: '8.0.3', attempt: 1, outcome: 'failed', reason: 'staging failed: disk full', failedStep: 'stage', bootLog: [] } }],
    { expectedVersion: 1, metadata: {} },
  );
  const [old, current] = await store.readStream(stream);
  expect(old).toMatchObject({ storedSchemaVersion: 1, type: 'HostUpgradeFailed' });
  // Fields added later without a version bump (attempt, outcome) read with their defaults.
  expect(old!.data).toMatchObject({ campaignId: campaign, hostId: 'esx-9', wave: 0, toBuild: '8.0.3', attempt: 1, outcome: 'failed', reason: 'the host did not come back', failedStep: null, bootLog: ['loading bank 1', 'fell back to bank 0'] });
  expect(current!.storedSchemaVersion).toBe(2);
  const stored = await prisma.$queryRaw<{ data: unknown }[]>`SELECT data FROM events WHERE stream_id = ${stream} AND stream_version = 1`;
  expect(stored[0]!.data).toEqual(v1);
  expect((await store.verifyStream(stream)).ok).toBe(true);
});
