import { describe, expect, it } from 'vitest';
import { effectiveFaults, faultsSchema, takeDrop } from './faults';

describe('faults', () => {
  it('lets a host fault win over the fault of the build it runs', () => {
    const builds = { bad: { failBoot: true, slowRebootMs: 50 } };
    expect(effectiveFaults({ slowRebootMs: 10 }, builds, 'bad')).toEqual({ failBoot: true, slowRebootMs: 10 });
    expect(effectiveFaults({}, builds, 'good')).toEqual({});
    expect(effectiveFaults({ failHealth: true }, builds, null)).toEqual({ failHealth: true });
  });

  it('drops the next N requests, then stops', () => {
    let faults = { dropConnections: { next: 2 } };
    const first = takeDrop(faults, 0.99);
    expect(first.drop).toBe(true);
    faults = first.faults as typeof faults;
    const second = takeDrop(faults, 0.99);
    expect(second).toEqual({ drop: true, faults: { dropConnections: undefined } });
    expect(takeDrop(second.faults, 0).drop).toBe(false);
  });

  it('drops with a probability', () => {
    const faults = { dropConnections: { probability: 0.3 } };
    expect(takeDrop(faults, 0.1)).toEqual({ drop: true, faults });
    expect(takeDrop(faults, 0.5).drop).toBe(false);
  });

  it('rejects unknown fault names', () => {
    expect(faultsSchema.safeParse({ failBoot: true }).success).toBe(true);
    expect(faultsSchema.safeParse({ failboot: true }).success).toBe(false);
    expect(faultsSchema.safeParse({ dropConnections: { probability: 2 } }).success).toBe(false);
  });
});
