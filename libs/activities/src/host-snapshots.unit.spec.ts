import { describe, expect, it } from 'vitest';
import type { HostEvent } from '@bankswitch/banks';
import type { BankswitchStore } from '@bankswitch/records';
import { EMPTY_HISTORY, HostSnapshots, foldSnapshot } from './host-snapshots';
import { storeHostHistory } from './records-adapters';

const entered: HostEvent = { type: 'MaintenanceModeEntered', data: { campaignId: 'c1', vsanMode: 'noAction' } };
const exited: HostEvent = { type: 'MaintenanceModeExited', data: { campaignId: 'c1' } };
const meta = { workflowId: 'host-esx01' };

/** A store of one process, in memory: versions, idempotency keys and version checks as the real one has them. */
function memoryStore() {
  const streams = new Map<string, { event: HostEvent; key: string | undefined }[]>();
  const reads: { streamId: string; fromVersion: number; returned: number }[] = [];
  const store = {
    async readStream(streamId: string, options: { fromVersion?: number } = {}) {
      const from = options.fromVersion ?? 1;
      const rows = (streams.get(streamId) ?? []).map((r, i) => ({ ...r.event, streamVersion: i + 1, metadata: { causationId: r.key } })).filter((e) => e.streamVersion >= from);
      reads.push({ streamId, fromVersion: from, returned: rows.length });
      return rows;
    },
    async appendToStream(streamId: string, events: readonly HostEvent[], options: { expectedVersion: number | 'any'; idempotencyKey?: string }) {
      const rows = streams.get(streamId) ?? [];
      const at = rows.findIndex((r) => r.key !== undefined && r.key === options.idempotencyKey);
      if (at >= 0) return { duplicate: true, firstVersion: at + 1, lastVersion: at + events.length };
      if (options.expectedVersion !== 'any' && options.expectedVersion !== rows.length) throw new Error(`stale: at ${rows.length}, expected ${options.expectedVersion}`);
      const firstVersion = rows.length + 1;
      rows.push(...events.map((event) => ({ event, key: options.idempotencyKey })));
      streams.set(streamId, rows);
      return { duplicate: false, firstVersion, lastVersion: rows.length };
    },
  };
  /** Another writer (the API, another worker) appending behind this process's back. */
  const elsewhere = (hostId: string, event: HostEvent, key: string) => {
    const rows = streams.get(`host-${hostId}`) ?? [];
    rows.push({ event, key });
    streams.set(`host-${hostId}`, rows);
  };
  return { store: store as unknown as BankswitchStore, reads, elsewhere };
}

describe('foldSnapshot', () => {
  it('folds events after a snapshot into a new one, with their keys, leaving the old one as it was', () => {
    const first = foldSnapshot(EMPTY_HISTORY, [{ event: entered, version: 1, key: 'a' }]);
    const second = foldSnapshot(first, [{ event: exited, version: 2, key: 'b' }]);
    expect(first).toMatchObject({ version: 1, state: { maintenanceMode: true } });
    expect([...first.keys]).toEqual(['a']);
    expect(second).toMatchObject({ version: 2, state: { maintenanceMode: false } });
    expect([...second.keys]).toEqual(['a', 'b']);
    expect(foldSnapshot(second, [])).toBe(second);
  });
});

describe('HostSnapshots', () => {
  it('keeps the most recently used hosts, up to its size', () => {
    const snapshots = new HostSnapshots(2);
    snapshots.set('a', EMPTY_HISTORY);
    snapshots.set('b', EMPTY_HISTORY);
    snapshots.get('a');
    snapshots.set('c', EMPTY_HISTORY);
    expect([snapshots.get('a'), snapshots.get('b'), snapshots.get('c')]).toEqual([EMPTY_HISTORY, undefined, EMPTY_HISTORY]);
    expect(snapshots.size).toBe(2);
  });
});

describe('storeHostHistory', () => {
  it('reads only the events after the snapshot it holds, and sees what others appended', async () => {
    const { store, reads, elsewhere } = memoryStore();
    const history = storeHostHistory(store);
    elsewhere('esx01', entered, 'api/1');
    expect(await history.load('esx01')).toMatchObject({ version: 1, state: { maintenanceMode: true } });
    elsewhere('esx01', exited, 'api/2');
    const again = await history.load('esx01');
    expect(again).toMatchObject({ version: 2, state: { maintenanceMode: false } });
    expect([...again.keys]).toEqual(['api/1', 'api/2']);
    expect(reads).toEqual([
      { streamId: 'host-esx01', fromVersion: 1, returned: 1 },
      { streamId: 'host-esx01', fromVersion: 2, returned: 1 },
    ]);
  });

  it('moves its snapshot on by an append it made, without a read; a duplicate append reads', async () => {
    const { store, reads } = memoryStore();
    const history = storeHostHistory(store);
    const before = await history.load('esx01');
    const after = await history.append('esx01', [entered], { expectedVersion: before.version, idempotencyKey: 'step/1', metadata: meta });
    expect(after).toMatchObject({ version: 1, state: { maintenanceMode: true } });
    expect(after.keys.has('step/1')).toBe(true);
    expect(reads).toHaveLength(1);
    // A retried step appends again under its key: nothing is written, and the history is read as it is.
    const retried = await history.append('esx01', [entered], { expectedVersion: 0, idempotencyKey: 'step/1', metadata: meta });
    expect(retried).toMatchObject({ version: 1 });
    expect(reads).toHaveLength(2);
  });

  it('records once under a key at whatever version the stream is, and never folds past events it has not read', async () => {
    const { store, reads, elsewhere } = memoryStore();
    const history = storeHostHistory(store);
    await history.load('esx01');
    elsewhere('esx01', entered, 'api/1');
    await history.record('esx01', [exited], { idempotencyKey: 'end/1', metadata: meta });
    await history.record('esx01', [exited], { idempotencyKey: 'end/1', metadata: meta });
    expect(reads).toHaveLength(1);
    // The snapshot held version 0; the record landed at 2: the next load reads 1 and 2 rather than trusting it.
    const loaded = await history.load('esx01');
    expect(loaded).toMatchObject({ version: 2, state: { maintenanceMode: false } });
    expect(reads.at(-1)).toEqual({ streamId: 'host-esx01', fromVersion: 1, returned: 2 });
  });
});
