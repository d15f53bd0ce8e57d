import { describe, expect, test } from 'vitest';
import { withDescendants } from './process-sampler';
import { hostOverheads, percentile, phaseFigures, scaleLine, type EventRow } from './scale-stats';

const CAMPAIGN = 'campaign-c1';
const s = (seconds: number) => Date.UTC(2026, 10, 30) + seconds * 1000;
const inCampaign = (type: string, hostId: string, at: number): EventRow => ({ streamId: CAMPAIGN, type, hostId, at: s(at) });
const inHost = (type: string, hostId: string, at: number): EventRow => ({ streamId: `host-${hostId}`, type, hostId, at: s(at) });

/** One host's upgrade, with its reboot taking 60 s between ImageStaged (at 3) and BankBooted. */
function upgrade(hostId: string, start: number, { bootedAt = start + 63.5, finished = start + 66 } = {}): EventRow[] {
  return [
    inCampaign('HostStarted', hostId, start),
    inHost('UpgradeStarted', hostId, start + 0.5),
    inHost('MaintenanceModeEntered', hostId, start + 1),
    inHost('ImageStaged', hostId, start + 3),
    inHost('BankBooted', hostId, bootedAt),
    inHost('BankCommitted', hostId, bootedAt + 1),
    inHost('MaintenanceModeExited', hostId, bootedAt + 1.5),
    inHost('UpgradeEnded', hostId, bootedAt + 2),
    inCampaign('HostFinished', hostId, finished),
  ];
}

describe('percentile (nearest rank)', () => {
  test('p50 and p99 of 1..100 are 50 and 99; of one value, that value', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('hostOverheads', () => {
  test('a span runs from HostStarted to the later of HostFinished and UpgradeEnded; the overhead takes the reboot and waits off', () => {
    // Host a: the campaign records the end after the host (66 s); host b: before it (its UpgradeEnded at 67.5 s).
    const events = [...upgrade('a', 10), ...upgrade('b', 20, { finished: 20 + 65 })];
    const { hosts, incomplete } = hostOverheads(events, { campaignStreamId: CAMPAIGN, rebootMs: 60_000, waitsMs: 1_000 });
    expect(incomplete).toEqual([]);
    expect(hosts.map((h) => [h.hostId, h.spanMs, h.overheadMs, h.upgradeMs])).toEqual([
      ['a', 66_000, 5_000, 65_000],
      ['b', 65_500, 4_500, 65_000],
    ]);
  });

  test('a host without its end is incomplete; events of other streams and other types are left out', () => {
    const events = [
      ...upgrade('a', 0),
      inCampaign('HostStarted', 'c', 5),
      inHost('UpgradeStarted', 'c', 6),
      inCampaign('WaveStarted', 'a', 0),
      { streamId: 'campaign-other', type: 'HostFinished', hostId: 'a', at: s(500) },
      inHost('HostStarted', 'a', 400),
    ];
    const { hosts, incomplete } = hostOverheads(events, { campaignStreamId: CAMPAIGN, rebootMs: 60_000 });
    expect(hosts.map((h) => [h.hostId, h.spanMs])).toEqual([['a', 66_000]]);
    expect(incomplete).toEqual(['c']);
  });

  test('a step recorded twice counts from its first record; a later HostFinished (a correction) ends the span', () => {
    const events = [...upgrade('a', 0), inHost('BankBooted', 'a', 70), inCampaign('HostFinished', 'a', 80)];
    const [host] = hostOverheads(events, { campaignStreamId: CAMPAIGN, rebootMs: 60_000 }).hosts;
    expect(host?.at.BankBooted).toBe(s(63.5));
    expect(host?.spanMs).toBe(80_000);
  });
});

describe('phaseFigures', () => {
  test('each phase between two milestones, the reboot taken off the one that ends in BankBooted', () => {
    const { hosts } = hostOverheads([...upgrade('a', 0), ...upgrade('b', 100, { bootedAt: 100 + 64 })], { campaignStreamId: CAMPAIGN, rebootMs: 60_000 });
    const reboot = phaseFigures(hosts, 60_000).find((p) => p.to === 'BankBooted');
    expect(reboot).toMatchObject({ n: 2, p50: 500, p99: 1_000, max: 1_000 });
    const start = phaseFigures(hosts, 60_000).find((p) => p.from === 'HostStarted');
    expect(start).toMatchObject({ n: 2, p50: 500 });
  });
});

describe('scaleLine', () => {
  test('the contract line', () => {
    expect(scaleLine({ hosts: 10_000, hostsPerSecond: 12.345, overheadP99Ms: 1_234, peakMiB: 3_456.4 })).toBe('scale: 10000 hosts, 12.35 hosts/s, overhead p99 1.23 s, peak memory 3456 MiB');
  });
});

describe('withDescendants', () => {
  test('a root and its children and grandchildren, not its siblings; a gone root gives nothing', () => {
    const parents = new Map([
      [10, 1],
      [11, 10],
      [12, 11],
      [13, 1],
    ]);
    expect(withDescendants([10], parents).sort()).toEqual([10, 11, 12]);
    expect(withDescendants([99], parents)).toEqual([]);
  });
});
