import type { AnyEvent, EventCatalog } from './catalog/catalog';
import type { Db } from './db';
import { LOG_START, type LogPosition } from './positions';
import { readAll } from './read-all';
import type { RecordedEvent } from './recorded-event';

export interface SubscribeOptions {
  readonly after?: LogPosition;
  readonly batchSize?: number;
  /** Wait between polls once caught up (default 100 ms). */
  readonly pollIntervalMs?: number;
  readonly streamPrefix?: string;
  /** A failed read or handler; the subscription retries the same batch after the poll interval. */
  readonly onError?: (error: unknown) => void;
}

export interface Subscription {
  /** Position of the last event the handler finished. */
  readonly position: LogPosition;
  stop(): Promise<void>;
}

/**
 * Follows the global log by polling `readAll`: the handler gets each batch in commit
 * order, once, and the position advances only after it returns. Full batches are
 * followed at once; an empty or short one waits `pollIntervalMs`.
 */
export function subscribe<E extends AnyEvent>(
  db: Db,
  catalog: EventCatalog<E>,
  handler: (events: RecordedEvent<E>[]) => Promise<void> | void,
  options: SubscribeOptions = {},
): Subscription {
  let position = options.after ?? LOG_START;
  let running = true;
  let wake: (() => void) | undefined;
  const limit = options.batchSize ?? 500;
  const pause = (ms: number) => new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    wake = () => { clearTimeout(timer); resolve(); };
  });
  const loop = (async () => {
    while (running) {
      try {
        const batch = await readAll(db, catalog, { after: position, limit, streamPrefix: options.streamPrefix });
        if (batch.events.length > 0) {
          await handler(batch.events);
          position = batch.position;
        }
        if (batch.events.length < limit && running) await pause(options.pollIntervalMs ?? 100);
      } catch (error) {
        (options.onError ?? ((e) => console.error('event subscription:', e)))(error);
        if (running) await pause(options.pollIntervalMs ?? 100);
      }
    }
  })();
  return {
    get position() {
      return position;
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
    },
  };
}
