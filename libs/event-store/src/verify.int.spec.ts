import { describe, expect, test } from 'vitest';
import { campaignResumed, testStore, type TestEvent } from '../test/support';

const { prisma, store, unique } = testStore();
const paused = (reason: string): TestEvent => ({ type: 'CampaignPaused', data: { campaignId: 'c', reason } });

// Tampered streams are campaign streams: the host_banks projector (tested in the same
// database) rightly refuses to fold a host stream with a hole in it.

async function streamWithHistory(): Promise<string> {
  const stream = unique('campaign-chain');
  await store.appendToStream(stream, [paused('window closed'), campaignResumed('c')], { expectedVersion: 0, metadata: { operator: 'a' } });
  await store.appendToStream(stream, [paused('failure budget')], { expectedVersion: 2, metadata: { operator: 'a' }, idempotencyKey: 'pause' });
  await store.appendToStream(stream, [campaignResumed('c')], { expectedVersion: 3, metadata: { operator: 'a' } });
  return stream;
}

/** Tampering as a superuser would: with the append-only trigger bypassed. */
async function tamper(statements: (tx: typeof prisma) => Promise<unknown>): Promise<void> {
  await prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SET LOCAL session_replication_role = replica`;
    await statements(tx as typeof prisma);
  });
}

describe('hash chain verification', () => {
  test('an untouched stream verifies', async () => {
    const stream = await streamWithHistory();
    expect(await store.verifyStream(stream)).toEqual({ streamId: stream, ok: true, eventsChecked: 4 });
  });

  test('an edited payload is caught at that event', async () => {
    const stream = await streamWithHistory();
    await tamper((tx) => tx.$executeRaw`UPDATE events SET data = jsonb_set(data, '{reason}', '"nothing happened"') WHERE stream_id = ${stream} AND stream_version = 2`);
    expect((await store.verifyStream(stream)).firstProblem).toMatchObject({ kind: 'edited', streamVersion: 2 });
  });

  test('edited metadata and an edited recorded time are caught too', async () => {
    const stream = await streamWithHistory();
    await tamper((tx) => tx.$executeRaw`UPDATE events SET metadata = '{"operator":"mallory"}' WHERE stream_id = ${stream} AND stream_version = 3`);
    expect((await store.verifyStream(stream)).firstProblem).toMatchObject({ kind: 'edited', streamVersion: 3 });
    const other = await streamWithHistory();
    await tamper((tx) => tx.$executeRaw`UPDATE events SET recorded_at = recorded_at - interval '1 day' WHERE stream_id = ${other} AND stream_version = 1`);
    expect((await store.verifyStream(other)).firstProblem).toMatchObject({ kind: 'edited', streamVersion: 1 });
  });

  test('a removed event is caught where it is missing', async () => {
    const stream = await streamWithHistory();
    await tamper((tx) => tx.$executeRaw`DELETE FROM events WHERE stream_id = ${stream} AND stream_version = 2`);
    expect((await store.verifyStream(stream)).firstProblem).toMatchObject({ kind: 'removed', streamVersion: 2 });
  });

  test('two swapped events are caught as reordered', async () => {
    const stream = await streamWithHistory();
    await tamper(async (tx) => {
      await tx.$executeRaw`UPDATE events SET stream_version = -2 WHERE stream_id = ${stream} AND stream_version = 2`;
      await tx.$executeRaw`UPDATE events SET stream_version = 2 WHERE stream_id = ${stream} AND stream_version = 3`;
      await tx.$executeRaw`UPDATE events SET stream_version = 3 WHERE stream_id = ${stream} AND stream_version = -2`;
    });
    expect((await store.verifyStream(stream)).firstProblem).toMatchObject({ kind: 'reordered', streamVersion: 2 });
  });

  test('an event whose digest was recomputed after an edit still breaks the link to the next one', async () => {
    const stream = await streamWithHistory();
    await tamper(
      (tx) => tx.$executeRaw`UPDATE events SET data = jsonb_set(data, '{reason}', '"nothing happened"'),
        digest = bankswitch_event_digest(previous_digest, stream_id, stream_version, type, schema_version,
          jsonb_set(data, '{reason}', '"nothing happened"'), metadata, idempotency_key, recorded_at)
        WHERE stream_id = ${stream} AND stream_version = 2`,
    );
    expect((await store.verifyStream(stream)).firstProblem).toMatchObject({ kind: 'removed', streamVersion: 3 });
  });

  test('verifyAll reports the first problem of each broken stream', async () => {
    const clean = await streamWithHistory();
    const broken = await streamWithHistory();
    await tamper((tx) => tx.$executeRaw`DELETE FROM events WHERE stream_id = ${broken} AND stream_version = 1`);
    const report = await store.verifyAll();
    expect(report.ok).toBe(false);
    expect(report.problems.find((p) => p.streamId === broken)).toMatchObject({ kind: 'removed', streamVersion: 1 });
    expect(report.problems.find((p) => p.streamId === clean)).toBeUndefined();
    expect(report.eventsChecked).toBeGreaterThanOrEqual(8);
  });
});
