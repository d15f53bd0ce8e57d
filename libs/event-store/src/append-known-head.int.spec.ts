import { describe, expect, test } from 'vitest';
import { testStore, upgradeEvents } from '../test/support';
import { StreamVersionConflictError } from './errors';

// Two stores on one database: two worker processes, each remembering the heads it wrote.
const { store: mine, prisma, unique } = testStore(2);
const { store: theirs } = testStore(2);
const metadata = { operator: 'alice', campaignId: 'c-1', activity: 'stageImage' };
const { observed, staged, booted, committed } = upgradeEvents;

describe('appends at a head this process knows (one INSERT, the indexes as the check)', () => {
  test('a head gone stale (another process appended since) writes nothing and is answered as a conflict', async () => {
    const stream = unique('host-stale');
    await mine.appendToStream(stream, [observed], { expectedVersion: 0, metadata });
    await theirs.appendToStream(stream, [staged], { expectedVersion: 1, metadata });

    // `mine` still knows version 1 as the head; a writer that read the same is stale.
    await expect(mine.appendToStream(stream, [booted], { expectedVersion: 1, idempotencyKey: 'boot', metadata })).rejects.toMatchObject({
      constructor: StreamVersionConflictError,
      expectedVersion: 1,
      actualVersion: 2,
    });
    await expect(mine.appendToStream(stream, [booted, committed], { expectedVersion: 1, metadata })).rejects.toBeInstanceOf(StreamVersionConflictError);
    expect((await mine.readStream(stream)).map((e) => e.type)).toEqual(['BankStateObserved', 'ImageStaged']);
    expect((await mine.verifyStream(stream)).ok).toBe(true);
  });

  test("'any' at a stale head appends after the real head, one event or several, and the chain holds", async () => {
    const stream = unique('host-any');
    await mine.appendToStream(stream, [observed], { expectedVersion: 0, metadata });
    await theirs.appendToStream(stream, [staged], { expectedVersion: 1, metadata });

    const one = await mine.appendToStream(stream, [booted], { expectedVersion: 'any', metadata });
    expect(one).toMatchObject({ firstVersion: 3, lastVersion: 3, duplicate: false });
    await theirs.appendToStream(stream, [committed], { expectedVersion: 3, metadata });
    const several = await mine.appendToStream(stream, [observed, staged, booted], { expectedVersion: 'any', metadata });
    expect(several).toMatchObject({ firstVersion: 5, lastVersion: 7, duplicate: false });
    expect(several.globalPositions).toHaveLength(3);

    const events = await mine.readStream(stream);
    expect(events.map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(events.at(-1)?.digest).toBe(several.digest);
    expect((await mine.verifyStream(stream)).ok).toBe(true);
  });

  test("a retry's key is answered with the first append's events, from the process that wrote them or another", async () => {
    const stream = unique('host-retry');
    await mine.appendToStream(stream, [observed], { expectedVersion: 0, metadata });
    const first = await mine.appendToStream(stream, [staged, booted], { expectedVersion: 1, idempotencyKey: 'stage-1', metadata });

    // The same process (its head is now 3) and another (its head unknown), as Temporal retries an activity.
    for (const [store, expectedVersion] of [[mine, 1], [mine, 'any'], [theirs, 1], [theirs, 'any']] as const) {
      expect(await store.appendToStream(stream, [staged, booted], { expectedVersion, idempotencyKey: 'stage-1', metadata })).toEqual({ ...first, duplicate: true });
    }
    expect(await mine.readStream(stream)).toHaveLength(3);
  });

  test('the recorded time never goes backwards within a stream, and each append writes once', async () => {
    const stream = unique('host-times');
    let version = 0;
    for (let i = 0; i < 20; i++) {
      const store = i % 3 === 0 ? theirs : mine;
      const result = await store.appendToStream(stream, i % 2 ? [booted] : [staged, booted], { expectedVersion: version, idempotencyKey: `a-${i}`, metadata });
      version = result.lastVersion;
    }
    const events = await mine.readStream(stream);
    expect(events).toHaveLength(30);
    const times = events.map((e) => e.recordedAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect((await mine.verifyStream(stream)).ok).toBe(true);
  });

  test('the append statements are prepared once per connection (named), not parsed per call', async () => {
    const stream = unique('host-prepared');
    await mine.appendToStream(stream, [observed], { expectedVersion: 0, metadata });
    await mine.appendToStream(stream, [staged, booted], { expectedVersion: 1, metadata });
    // The pool has two connections; ask until the one that appended answers.
    const names = new Set<string>();
    for (let i = 0; i < 10; i++) {
      const rows = await prisma.$queryRaw<{ name: string }[]>`SELECT name FROM pg_prepared_statements`;
      for (const { name } of rows) names.add(name);
    }
    expect([...names].sort()).toEqual(expect.arrayContaining(['bankswitch_append_at_head_1', 'bankswitch_append_at_head_n']));
  });
});
