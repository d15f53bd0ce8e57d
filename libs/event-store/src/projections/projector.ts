import type { PrismaClient } from '../prisma-client';
import type { Db } from '../db';
import type { AnyEvent, EventCatalog } from '../catalog/catalog';
import { readAll } from '../read-all';
import type { RecordedEvent } from '../recorded-event';
import { LOG_START } from '../positions';
import { lockCheckpoint, saveCheckpoint } from './checkpoint';

/**
 * A read model kept in step with the log: the store runs it, its owner says how a batch
 * of events changes it. `apply` runs inside the projector's transaction, with the
 * checkpoint, so rows and checkpoint never disagree.
 */
export interface Projection<E extends AnyEvent = AnyEvent> {
  readonly name: string;
  /** Only events of streams whose id starts with this (e.g. 'host-'). */
  readonly streamPrefix?: string;
  apply(tx: Db, events: readonly RecordedEvent<E>[]): Promise<void>;
  /** Empties the read model, before a rebuild from the whole log. */
  reset(tx: Db): Promise<void>;
}

/**
 * Brings a projection up to the log: each batch (rows, checkpoint) is written in one
 * transaction under the projection's lock, so two projectors never apply an event twice
 * and a crash leaves rows and checkpoint in step. Returns the number of events applied.
 */
export async function catchUpProjection<E extends AnyEvent>(
  prisma: PrismaClient,
  catalog: EventCatalog<E>,
  projection: Projection<E>,
  options: { batchSize?: number } = {},
): Promise<number> {
  const limit = options.batchSize ?? 1000;
  let applied = 0;
  for (;;) {
    const count = await prisma.$transaction(
      async (tx) => {
        const after = await lockCheckpoint(tx, projection.name);
        const batch = await readAll(tx, catalog, { after, limit, streamPrefix: projection.streamPrefix });
        if (batch.events.length === 0) return 0;
        await projection.apply(tx, batch.events);
        await saveCheckpoint(tx, projection.name, batch.position);
        return batch.events.length;
      },
      { timeout: 60_000 },
    );
    applied += count;
    if (count < limit) return applied;
  }
}

/**
 * Empties a projection and folds the whole log into it again, in one transaction under
 * its lock. The result must equal what the live projector built.
 */
export async function rebuildProjection<E extends AnyEvent>(
  prisma: PrismaClient,
  catalog: EventCatalog<E>,
  projection: Projection<E>,
  options: { batchSize?: number } = {},
): Promise<number> {
  const limit = options.batchSize ?? 5000;
  return prisma.$transaction(
    async (tx) => {
      await lockCheckpoint(tx, projection.name);
      await projection.reset(tx);
      let position = LOG_START;
      let events = 0;
      for (;;) {
        const batch = await readAll(tx, catalog, { after: position, limit, streamPrefix: projection.streamPrefix });
        if (batch.events.length > 0) await projection.apply(tx, batch.events);
        events += batch.events.length;
        position = batch.position;
        if (batch.events.length < limit) break;
      }
      await saveCheckpoint(tx, projection.name, position);
      return events;
    },
    { timeout: 300_000 },
  );
}

/** Runs `catchUp` every `pollIntervalMs` until stopped. */
export function startProjector(
  catchUp: () => Promise<unknown>,
  options: { pollIntervalMs?: number; onError?: (error: unknown) => void } = {},
): { stop(): Promise<void> } {
  let running = true;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (running) {
      try {
        await catchUp();
      } catch (error) {
        (options.onError ?? ((e) => console.error('projector:', e)))(error);
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
