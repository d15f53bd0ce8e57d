import type { PendingEvents } from './campaign-input';

/** At most this many events in one append (a wave's start of 1,000 hosts is a few appends). */
export const MAX_EVENTS_PER_APPEND = 250;

/**
 * How many of the outbox's first decisions go into one append: consecutive in version and
 * with the same operator (the append is keyed by its first version, as a single
 * decision's append is), up to `maxEvents` events. A single larger decision goes alone.
 * Pure: the campaign workflow splices that many off its outbox.
 */
export function appendBatchSize(outbox: readonly PendingEvents[], maxEvents = MAX_EVENTS_PER_APPEND): number {
  if (outbox.length === 0) return 0;
  let count = outbox[0]!.events.length;
  let take = 1;
  while (take < outbox.length) {
    const next = outbox[take]!;
    const last = outbox[take - 1]!;
    if (next.operator !== last.operator || next.version !== last.version + last.events.length) break;
    if (count + next.events.length > maxEvents) break;
    count += next.events.length;
    take += 1;
  }
  return take;
}
