import type { PrismaClient } from '../prisma-client';
import type { Db } from '../db';
import { readAll } from '../read-all';
import type { RecordedEvent } from '../recorded-event';
import { LOG_START } from '../positions';
import { lockCheckpoint, saveCheckpoint } from './checkpoint';
import { applyToRow, emptyHostBanksRow, hostIdOf, type HostBanksRow } from './host-banks-row';
import { loadHostBanksRows, saveHostBanksRows } from './host-banks-store';

export const HOST_BANKS_PROJECTION = 'host_banks';
const HOST_PREFIX = 'host-';

/**
 * Brings host_banks up to the log: each batch (rows, checkpoint) is written in one
 * transaction under the projector's lock, so two projectors never apply an event twice
 * and a crash leaves rows and checkpoint in step. Returns the number of events applied.
 */
export async function catchUpHostBanks(prisma: PrismaClient, options: { batchSize?: number } = {}): Promise<number> {
  const limit = options.batchSize ?? 1000;
  let applied = 0;
  for (;;) {
    const count = await prisma.$transaction(
      async (tx) => {
        const after = await lockCheckpoint(tx, HOST_BANKS_PROJECTION);
        const batch = await readAll(tx, { after, limit, streamPrefix: HOST_PREFIX });
        if (batch.events.length === 0) return 0;
        const rows = await foldInto(tx, batch.events);
        await saveHostBanksRows(tx, rows);
        await saveCheckpoint(tx, HOST_BANKS_PROJECTION, batch.position);
        return batch.events.length;
      },
      { timeout: 60_000 },
    );
    applied += count;
    if (count < limit) return applied;
  }
}

/**
 * Replaces host_banks with a fold of the whole log, in one transaction under the
 * projector's lock. The result must equal what the live projector built.
 */
export async function rebuildHostBanks(prisma: PrismaClient, options: { batchSize?: number } = {}): Promise<{ hosts: number; events: number }> {
  const limit = options.batchSize ?? 5000;
  return prisma.$transaction(
    async (tx) => {
      await lockCheckpoint(tx, HOST_BANKS_PROJECTION);
      await tx.$executeRaw`DELETE FROM host_banks`;
      const rows = new Map<string, HostBanksRow>();
      let position = LOG_START;
      let events = 0;
      for (;;) {
        const batch = await readAll(tx, { after: position, limit, streamPrefix: HOST_PREFIX });
        for (const event of batch.events) {
          const hostId = hostIdOf(event);
          rows.set(hostId, applyToRow(rows.get(hostId) ?? emptyHostBanksRow(hostId), event));
        }
        events += batch.events.length;
        position = batch.position;
        if (batch.events.length < limit) break;
      }
      const all = [...rows.values()];
      for (let i = 0; i < all.length; i += 1000) await saveHostBanksRows(tx, all.slice(i, i + 1000));
      await saveCheckpoint(tx, HOST_BANKS_PROJECTION, position);
      return { hosts: rows.size, events };
    },
    { timeout: 300_000 },
  );
}

async function foldInto(tx: Db, events: readonly RecordedEvent[]): Promise<HostBanksRow[]> {
  const hostIds = [...new Set(events.map(hostIdOf))];
  const rows = new Map((await loadHostBanksRows(tx, hostIds)).map((r) => [r.hostId, r]));
  for (const event of events) {
    const hostId = hostIdOf(event);
    rows.set(hostId, applyToRow(rows.get(hostId) ?? emptyHostBanksRow(hostId), event));
  }
  return [...rows.values()];
}

/** Runs `catchUpHostBanks` every `pollIntervalMs` until stopped. */
export function startHostBanksProjector(
  prisma: PrismaClient,
  options: { pollIntervalMs?: number; onError?: (error: unknown) => void } = {},
): { stop(): Promise<void> } {
  let running = true;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (running) {
      try {
        await catchUpHostBanks(prisma);
      } catch (error) {
        (options.onError ?? ((e) => console.error('host_banks projector:', e)))(error);
      }
      if (!running) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.pollIntervalMs ?? 200);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  })();
  return {
    async stop() {
      running = false;
      wake?.();
      await loop;
    },
  };
}
