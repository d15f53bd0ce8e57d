import { describe, expect, it } from 'vitest';
import { MAX_POLL_MS, nextPollMs } from './poll-host';

describe('nextPollMs', () => {
  it('grows the pause by half each look, up to a second', () => {
    const pauses = [250];
    while (pauses.length < 6) pauses.push(nextPollMs(pauses[pauses.length - 1]!, 250));
    expect(pauses).toEqual([250, 375, 563, 845, MAX_POLL_MS, MAX_POLL_MS]);
  });

  it('keeps a configured pause longer than a second as it is', () => {
    expect(nextPollMs(5_000, 5_000)).toBe(5_000);
  });
});
