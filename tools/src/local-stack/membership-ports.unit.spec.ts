import { describe, expect, it } from 'vitest';
import { membershipRange } from './temporal-full-server';

describe("the full Temporal server's membership ports", () => {
  it('are picked from 20,000 to 32,767 when no fleet is in the way', () => {
    expect(membershipRange(undefined)).toEqual({ from: 20_000, to: 32_768 });
    expect(membershipRange({ from: 12_000, to: 17_000 })).toEqual({ from: 20_000, to: 32_768 });
  });
  it("avoid a fleet's ports: 10,000 hosts from 12,000 reach 21,999", () => {
    expect(membershipRange({ from: 12_000, to: 22_000 })).toEqual({ from: 22_000, to: 32_768 });
    expect(membershipRange({ from: 30_000, to: 31_000 })).toEqual({ from: 20_000, to: 30_000 });
  });
  it('refuse a fleet that leaves them no room, saying what to do', () => {
    expect(() => membershipRange({ from: 19_000, to: 32_700 })).toThrow(/choose a fleet port base/);
  });
});
