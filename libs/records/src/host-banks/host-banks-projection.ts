import type { Db, Projection, RecordedEvent } from '@bankswitch/event-store';
import type { BankswitchEvent } from '../catalog';
import { applyToRow, emptyHostBanksRow, hostIdOf, type HostBanksRow } from './host-banks-row';
import { loadHostBanksRows, saveHostBanksRows } from './host-banks-store';

/**
 * host_banks: one row per host with its banks, rollback target, where its last upgrade
 * left it and its stream version, folded from its `host-<id>` stream with the bank rules'
 * `evolve`. What `hosts list`, the planner and the API read.
 */
export const hostBanksProjection: Projection<BankswitchEvent> = {
  name: 'host_banks',
  streamPrefix: 'host-',
  async apply(tx, events) {
    await saveHostBanksRows(tx, await foldInto(tx, events));
  },
  async reset(tx) {
    await tx.$executeRaw`DELETE FROM host_banks`;
  },
};

async function foldInto(tx: Db, events: readonly RecordedEvent<BankswitchEvent>[]): Promise<HostBanksRow[]> {
  const hostIds = [...new Set(events.map(hostIdOf))];
  const rows = new Map((await loadHostBanksRows(tx, hostIds)).map((r) => [r.hostId, r]));
  for (const event of events) {
    const hostId = hostIdOf(event);
    rows.set(hostId, applyToRow(rows.get(hostId) ?? emptyHostBanksRow(hostId), event));
  }
  return [...rows.values()];
}
