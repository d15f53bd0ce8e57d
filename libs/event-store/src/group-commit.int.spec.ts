import { describe, expect, test } from 'vitest';
import { campaignResumed, testStore, upgradeEvents } from '../test/support';
import { StreamVersionConflictError } from './errors';

const { store, unique } = testStore();
// A second client: another worker process appending to the same database.
const { store: otherProcess } = testStore(4);
const metadata = { operator: 'alice', campaignId: 'c-1', activity: 'stageImage' };

describe('group commit', () => {
  test('concurrent callers share one statement, and each gets its own answer: appended, duplicate, conflict', async () => {
    const [fresh, retried, stale, anyVersion] = ['host-fresh', 'host-retried', 'host-stale', 'host-any'].map(unique) as [string, string, string, string];
    const original = await store.appendToStream(retried, [upgradeEvents.observed], { expectedVersion: 0, idempotencyKey: 'observe-1', metadata });
    await store.appendToStream(stale, [upgradeEvents.observed], { expectedVersion: 0, metadata });

    const [a, b, c, d] = await Promise.allSettled([
      store.appendToStream(fresh, [upgradeEvents.observed, upgradeEvents.staged], { expectedVersion: 0, idempotencyKey: 'k-a', metadata }),
      store.appendToStream(retried, [upgradeEvents.observed], { expectedVersion: 0, idempotencyKey: 'observe-1', metadata }),
      store.appendToStream(stale, [upgradeEvents.staged], { expectedVersion: 0, idempotencyKey: 'k-c', metadata }),
      store.appendToStream(anyVersion, [upgradeEvents.observed], { expectedVersion: 'any', metadata }),
    ]);

    expect(a).toMatchObject({ status: 'fulfilled', value: { streamId: fresh, firstVersion: 1, lastVersion: 2, duplicate: false } });
    expect(b).toEqual({ status: 'fulfilled', value: { ...original, duplicate: true } });
    expect(c.status).toBe('rejected');
    expect((c as PromiseRejectedResult).reason).toBeInstanceOf(StreamVersionConflictError);
    expect((c as PromiseRejectedResult).reason).toMatchObject({ streamId: stale, expectedVersion: 0, actualVersion: 1 });
    expect(d).toMatchObject({ status: 'fulfilled', value: { streamId: anyVersion, firstVersion: 1, lastVersion: 1, duplicate: false } });
    // One transaction for the two that wrote: they were one statement.
    const written = [a, d].map((r) => (r as PromiseFulfilledResult<{ transactionId: bigint }>).value.transactionId);
    expect(written[0]).toBe(written[1]);

    expect((await store.readStream(fresh)).map((e) => e.type)).toEqual(['BankStateObserved', 'ImageStaged']);
    expect(await store.readStream(retried)).toHaveLength(1);
    expect(await store.readStream(stale)).toHaveLength(1);
    for (const stream of [fresh, retried, stale, anyVersion]) expect((await store.verifyStream(stream)).ok).toBe(true);
  });

  test("a stream's appends keep the order they were made in, beside other streams' appends", async () => {
    const stream = unique('campaign-order');
    const others = Array.from({ length: 5 }, (_, i) => unique(`campaign-other-${i}`));
    const appends = Array.from({ length: 20 }, (_, i) => [
      store.appendToStream(stream, [campaignResumed(`c-${i}`)], { expectedVersion: 'any', idempotencyKey: `resume-${i}`, metadata }),
      ...others.map((other) => store.appendToStream(other, [campaignResumed(`c-${i}`)], { expectedVersion: 'any', metadata })),
    ]).flat();
    const results = await Promise.all(appends);

    const events = await store.readStream(stream);
    expect(events.map((e) => (e.data as { campaignId: string }).campaignId)).toEqual(Array.from({ length: 20 }, (_, i) => `c-${i}`));
    expect(events.map((e) => e.streamVersion)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    // Coalesced: fewer transactions than appends.
    expect(new Set(results.map((r) => r.transactionId)).size).toBeLessThan(results.length);
    for (const s of [stream, ...others]) expect((await store.verifyStream(s)).ok).toBe(true);
  });

  test('a batch that races another process on one stream: that append gets its conflict, the rest of the batch is written', async () => {
    for (let round = 0; round < 5; round++) {
      const contested = unique('host-contested');
      const bystanders = Array.from({ length: 4 }, (_, i) => unique(`host-bystander-${i}`));
      const [mine, theirs, ...rest] = await Promise.allSettled([
        store.appendToStream(contested, [upgradeEvents.observed, upgradeEvents.staged], { expectedVersion: 0, metadata }),
        otherProcess.appendToStream(contested, [upgradeEvents.observed], { expectedVersion: 0, metadata }),
        ...bystanders.map((b) => store.appendToStream(b, [upgradeEvents.observed], { expectedVersion: 0, metadata })),
      ]);
      const outcomes = [mine, theirs].map((r) => r!.status);
      expect(outcomes.filter((s) => s === 'fulfilled')).toHaveLength(1);
      for (const r of [mine, theirs]) if (r!.status === 'rejected') expect(r.reason).toBeInstanceOf(StreamVersionConflictError);
      for (const r of rest) expect(r.status).toBe('fulfilled');
      const versions = (await store.readStream(contested)).map((e) => e.streamVersion);
      expect(versions).toEqual(mine!.status === 'fulfilled' ? [1, 2] : [1]);
      expect((await store.verifyStream(contested)).ok).toBe(true);
    }
  });

  test('an invalid event fails its own caller before the batch, not the others', async () => {
    const good = unique('host-good');
    const [bad, ok] = await Promise.allSettled([
      store.appendToStream(unique('host-bad'), [{ type: 'BankExploded', data: {} } as never], { expectedVersion: 0, metadata }),
      store.appendToStream(good, [upgradeEvents.observed], { expectedVersion: 0, metadata }),
    ]);
    expect(bad.status).toBe('rejected');
    expect(ok.status).toBe('fulfilled');
    expect(await store.readStream(good)).toHaveLength(1);
  });

  test('data PostgreSQL refuses (a NUL in a string) fails its own append, not the others of its statement', async () => {
    const [refused, fine] = [unique('campaign-nul'), unique('campaign-fine')];
    const [bad, ok] = await Promise.allSettled([
      store.appendToStream(refused, [campaignResumed('c-\u0000-1')], { expectedVersion: 0, metadata }),
      store.appendToStream(fine, [campaignResumed('c-2')], { expectedVersion: 0, idempotencyKey: 'resume-2', metadata }),
    ]);
    expect(bad.status).toBe('rejected');
    expect(ok).toMatchObject({ status: 'fulfilled', value: { streamId: fine, firstVersion: 1, duplicate: false } });
    expect(await store.readStream(refused)).toHaveLength(0);
    expect(await store.readStream(fine)).toHaveLength(1);
  });
});
