import { describe, expect, it } from 'vitest';
import type { AppendResult } from './append';
import { observedAppend, type AppendObservation } from './append-observer';
import { StreamVersionConflictError } from './errors';

const result = (duplicate: boolean): AppendResult => ({ streamId: 's-1', firstVersion: 1, lastVersion: 2, globalPositions: [1n, 2n], transactionId: 1n, recordedAt: new Date(), digest: 'd', duplicate });
const options = { expectedVersion: 0, metadata: {} } as const;

describe('observedAppend', () => {
  it("tells the observer each append's outcome, event count and time, and passes the answer or the error on", async () => {
    const seen: AppendObservation[] = [];
    const observe = (o: AppendObservation) => seen.push(o);
    await expect(observedAppend(async () => result(false), observe)('host-a', [1, 2], options)).resolves.toMatchObject({ duplicate: false });
    await observedAppend(async () => result(true), observe)('host-a', [1], options);
    const conflict = new StreamVersionConflictError('host-a', 0, 3);
    await expect(observedAppend(async () => Promise.reject(conflict), observe)('host-a', [1], options)).rejects.toBe(conflict);
    await expect(observedAppend(async () => Promise.reject(new Error('ECONNREFUSED')), observe)('campaign-b', [1], options)).rejects.toThrow('ECONNREFUSED');
    expect(seen.map(({ streamId, events, outcome }) => ({ streamId, events, outcome }))).toEqual([
      { streamId: 'host-a', events: 2, outcome: 'appended' },
      { streamId: 'host-a', events: 1, outcome: 'duplicate' },
      { streamId: 'host-a', events: 1, outcome: 'conflict' },
      { streamId: 'campaign-b', events: 1, outcome: 'error' },
    ]);
    expect(seen.every((o) => o.seconds >= 0 && o.seconds < 5)).toBe(true);
  });

  it('never fails an append because the observer threw, and adds nothing without one', async () => {
    const append = async () => result(false);
    await expect(observedAppend(append, () => { throw new Error('broken metrics'); })('host-a', [1], options)).resolves.toMatchObject({ lastVersion: 2 });
    expect(observedAppend(append, undefined)).toBe(append);
  });
});
