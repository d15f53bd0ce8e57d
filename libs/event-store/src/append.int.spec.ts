import { describe, expect, test } from 'vitest';
import { campaignResumed, testStore, upgradeEvents, type TestEvent } from '../test/support';
import { InvalidEventError, StreamVersionConflictError, UnknownEventTypeError } from './errors';

const { prisma, store: groupCommitStore, unique } = testStore();
const { store: singleStatementStore } = testStore(20, { groupCommit: false });
const metadata = { operator: 'alice', campaignId: 'c-1', activity: 'stageImage' };

// The store coalesces concurrent appends (group commit); without it every append is a
// statement of its own and concurrent appends to one stream race in the database.
describe.each([
  ['group commit', groupCommitStore],
  ['one statement per append', singleStatementStore],
])('appendToStream, %s', (_mode, store) => {
  test('appends a batch with consecutive versions and reads it back, upcast and with its metadata', async () => {
    const stream = unique('host-a');
    const result = await store.appendToStream(stream, [upgradeEvents.observed, upgradeEvents.staged], { expectedVersion: 0, metadata });
    expect(result).toMatchObject({ firstVersion: 1, lastVersion: 2, duplicate: false });
    const next = await store.appendToStream(stream, [upgradeEvents.booted], { expectedVersion: 2, metadata });
    expect(next.firstVersion).toBe(3);
    const events = await store.readStream(stream);
    expect(events.map((e) => [e.streamVersion, e.type])).toEqual([[1, 'BankStateObserved'], [2, 'ImageStaged'], [3, 'BankBooted']]);
    expect(events[1]!.data).toEqual(upgradeEvents.staged.data);
    expect(events[0]!.metadata).toEqual(metadata);
    expect((await store.readStream(stream, { fromVersion: 3 })).map((e) => e.streamVersion)).toEqual([3]);
  });

  test('a stale writer gets StreamVersionConflictError and writes nothing', async () => {
    const stream = unique('campaign-');
    await store.appendToStream(stream, [campaignResumed('c')], { expectedVersion: 0, metadata });
    const error = await store.appendToStream(stream, [campaignResumed('c')], { expectedVersion: 0, metadata }).catch((e) => e);
    expect(error).toBeInstanceOf(StreamVersionConflictError);
    expect(error).toMatchObject({ expectedVersion: 0, actualVersion: 1 });
    expect(await store.readStream(stream)).toHaveLength(1);
  });

  test('two concurrent appenders on one stream: exactly one wins', async () => {
    for (let round = 0; round < 5; round++) {
      const stream = unique('campaign-race');
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, () => store.appendToStream(stream, [campaignResumed('c'), campaignResumed('c')], { expectedVersion: 0, metadata })),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(StreamVersionConflictError);
      expect((await store.readStream(stream)).map((e) => e.streamVersion)).toEqual([1, 2]);
    }
  });

  test("'any' appends from concurrent writers all land, in a gapless version sequence", async () => {
    const stream = unique('campaign-any');
    await Promise.all(Array.from({ length: 10 }, () => store.appendToStream(stream, [campaignResumed('c')], { expectedVersion: 'any', metadata })));
    expect((await store.readStream(stream)).map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  test('a retried append with the same idempotency key returns the original result and writes nothing', async () => {
    const stream = unique('campaign-idem');
    const first = await store.appendToStream(stream, [campaignResumed('c'), campaignResumed('c')], { expectedVersion: 0, idempotencyKey: 'stage-1', metadata });
    const retry = await store.appendToStream(stream, [campaignResumed('c'), campaignResumed('c')], { expectedVersion: 0, idempotencyKey: 'stage-1', metadata });
    expect(retry).toEqual({ ...first, duplicate: true });
    expect(await store.readStream(stream)).toHaveLength(2);
  });

  test('the same idempotency key raced by concurrent runs appends once', async () => {
    for (const expectedVersion of [0, 'any'] as const) {
      const stream = unique('campaign-idem-race');
      const results = await Promise.all(
        Array.from({ length: 8 }, () => store.appendToStream(stream, [campaignResumed('c')], { expectedVersion, idempotencyKey: 'activity-42', metadata })),
      );
      expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
      expect(new Set(results.map((r) => r.globalPositions[0]))).toHaveProperty('size', 1);
      expect(await store.readStream(stream)).toHaveLength(1);
    }
  });

  test('an unknown type, an invalid payload, a wrong stream or bad metadata is rejected and nothing is written', async () => {
    const stream = unique('host-bad');
    const attempts: [TestEvent[], object, unknown][] = [
      [[upgradeEvents.observed, { type: 'BankExploded', data: {} } as unknown as TestEvent], metadata, UnknownEventTypeError],
      [[upgradeEvents.observed, { type: 'ImageStaged', data: { ...upgradeEvents.staged.data, sha256: 'nope' } }], metadata, InvalidEventError],
      [[campaignResumed('c')], metadata, InvalidEventError],
      [[upgradeEvents.observed], { operator: 42 }, InvalidEventError],
      [[], metadata, InvalidEventError],
    ];
    for (const [events, meta, errorClass] of attempts) {
      const error = await store.appendToStream(stream, events, { expectedVersion: 0, metadata: meta as never }).catch((e) => e);
      expect(error).toBeInstanceOf(errorClass);
    }
    const invalid = await store.appendToStream(stream, [{ type: 'ImageStaged', data: { ...upgradeEvents.staged.data, sha256: 'nope' } }], { expectedVersion: 0, metadata }).catch((e) => e);
    expect(invalid.message).toMatch(/invalid ImageStaged event: sha256: expected a lowercase hex SHA-256/);
    const rows = await prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM events WHERE stream_id = ${stream}`;
    expect(rows[0]!.n).toBe(0n);
  });

  test('the events table refuses updates and deletes', async () => {
    await expect(prisma.$executeRaw`DELETE FROM events WHERE false`).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRaw`UPDATE events SET type = type WHERE false`).rejects.toThrow(/append-only/);
  });
});

// bankswitch_append is no longer called, but stays for the previous release's processes.
test.each([
  ['bankswitch_append', './append.sql'],
  ['bankswitch_append_many', './append-many.sql'],
])('the function %s in the database is the readable source in %s', async (name, file) => {
  const { readFile } = await import('node:fs/promises');
  const source = await readFile(new URL(file, import.meta.url), 'utf8');
  const body = source.slice(source.indexOf('$$') + 2, source.lastIndexOf('$$'));
  const rows = await prisma.$queryRaw<{ prosrc: string }[]>`SELECT prosrc FROM pg_proc WHERE proname = ${name}`;
  expect(rows[0]!.prosrc).toBe(body);
});
