import { describe, expect, it } from 'vitest';
import type { CurrentCampaignEvent } from '@bankswitch/campaign';
import type { PendingEvents } from './campaign-input';
import { appendBatchSize } from './append-batch';

const events = (n: number) => Array.from({ length: n }, () => ({ type: 'HostFinished' }) as unknown as CurrentCampaignEvent);
const decision = (version: number, n: number, operator?: string): PendingEvents => ({ events: events(n), version, ...(operator ? { operator } : {}) });

describe('appendBatchSize', () => {
  it('takes consecutive decisions of the same operator into one append', () => {
    expect(appendBatchSize([decision(3, 2), decision(5, 1), decision(6, 3)])).toBe(3);
  });

  it('stops at a different operator or a gap in versions', () => {
    expect(appendBatchSize([decision(3, 2), decision(5, 1, 'ana'), decision(6, 1, 'ana')])).toBe(1);
    expect(appendBatchSize([decision(3, 2), decision(6, 1)])).toBe(1);
  });

  it('stops before the batch would pass the event cap; a larger single decision goes alone', () => {
    expect(appendBatchSize([decision(0, 4), decision(4, 4), decision(8, 4)], 10)).toBe(2);
    expect(appendBatchSize([decision(0, 20), decision(20, 1)], 10)).toBe(1);
  });

  it('is 0 for an empty outbox', () => {
    expect(appendBatchSize([])).toBe(0);
  });
});
