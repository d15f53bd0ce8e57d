import { expect, test } from 'vitest';
import { campaignResumed, testCatalog, testStore } from '../test/support';
import { appendToStream } from './append';
import { comparePositions, type LogPosition } from './positions';
import type { RecordedEvent } from './recorded-event';

const { prisma, store, unique } = testStore(30);
const metadata = { operator: 'test' };

/** Where the log ends right now, so that a test reads only what it wrote after. */
async function head(): Promise<LogPosition> {
  let position = (await store.readAll({ limit: 1 })).position;
  for (;;) {
    const batch = await store.readAll({ after: position, limit: 10_000 });
    if (batch.events.length === 0) return position;
    position = batch.position;
  }
}

test('a transaction that commits late is read in its place, never skipped', async () => {
  const start = await head();
  const slowStream = unique('campaign-slow');
  const fastStream = unique('campaign-fast');
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let written!: () => void;
  const slowWritten = new Promise<void>((resolve) => (written = resolve));
  const slow = prisma.$transaction(
    async (tx) => {
      await appendToStream(tx, testCatalog, slowStream, [campaignResumed('s')], { expectedVersion: 0, metadata });
      written();
      await held;
    },
    { timeout: 20_000 },
  );
  await slowWritten;
  // The fast writer allocates a later global position and commits first.
  const fast = await store.appendToStream(fastStream, [campaignResumed('f')], { expectedVersion: 0, metadata });
  const whileOpen = await store.readAll({ after: start });
  expect(whileOpen.events.map((e) => e.streamId)).not.toContain(fastStream);
  // The hazard: a reader going by global position alone would see the fast event now and
  // move its cursor past the slow one's lower position, skipping it for good.
  const naive = await prisma.$queryRaw<{ stream_id: string; global_position: bigint }[]>`
    SELECT stream_id, global_position FROM events WHERE stream_id IN (${slowStream}, ${fastStream})`;
  expect(naive.map((r) => r.stream_id)).toEqual([fastStream]);
  release();
  await slow;
  const after = await store.readAll({ after: start });
  const ids = after.events.map((e) => e.streamId).filter((s) => s === slowStream || s === fastStream);
  expect(ids).toEqual([slowStream, fastStream]);
  const [slowEvent, fastEvent] = after.events.filter((e) => e.streamId === slowStream || e.streamId === fastStream);
  expect(fastEvent!.position.globalPosition).toBe(fast.globalPositions[0]);
  expect(slowEvent!.position.globalPosition).toBeLessThan(fastEvent!.position.globalPosition);
});

test('10,000 events from concurrent writers reach a subscriber once each, in per-stream order', async () => {
  const start = await head();
  const prefix = unique('campaign-bulk');
  const writers = 8;
  const streamsPerWriter = 5;
  const appendsPerStream = 25;
  const batch = 10; // 8 × 5 × 25 × 10 = 10,000 events in 1,000 appends
  const seen: RecordedEvent[] = [];
  const subscription = store.subscribe((events) => void seen.push(...events.filter((e) => e.streamId.startsWith(prefix))), {
    after: start,
    pollIntervalMs: 10,
    batchSize: 700,
  });
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let a = 0; a < appendsPerStream; a++) {
        // Mixed batch sizes and interleaved streams, so that transactions overlap.
        await Promise.all(
          Array.from({ length: streamsPerWriter }, (_, s) =>
            store.appendToStream(`${prefix}-${w}-${s}`, Array.from({ length: batch }, () => campaignResumed('c')), {
              expectedVersion: a * batch,
              metadata,
            }),
          ),
        );
      }
    }),
  );
  const deadline = Date.now() + 20_000;
  while (seen.length < 10_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 100));
  await subscription.stop();

  expect(seen).toHaveLength(10_000);
  const keys = new Set(seen.map((e) => `${e.streamId}/${e.streamVersion}`));
  expect(keys.size).toBe(10_000);
  for (let i = 1; i < seen.length; i++) expect(comparePositions(seen[i - 1]!.position, seen[i]!.position)).toBeLessThan(0);
  const versions = new Map<string, number[]>();
  for (const e of seen) versions.set(e.streamId, [...(versions.get(e.streamId) ?? []), e.streamVersion]);
  expect(versions.size).toBe(writers * streamsPerWriter);
  for (const list of versions.values()) expect(list).toEqual(Array.from({ length: appendsPerStream * batch }, (_, i) => i + 1));
});
