// Ramp-up, given/when/then: waves made as the campaign goes, growing while they succeed.
import type { HostEndCause, HostEndState } from '@bankswitch/banks';
import { describe, expect, it } from 'vitest';
import { run, stateOf as state } from '../test/decider-steps';
import type { CampaignCommand } from './commands';
import type { CampaignEvent } from './events';
import { progressOf } from './progress';
import type { CampaignPlan } from './state';

const hosts = Array.from({ length: 12 }, (_, i) => `h${String(i + 1).padStart(2, '0')}`);
const plan = (overrides: Partial<CampaignPlan> = {}): CampaignPlan => ({
  name: 'ramp',
  targetBuild: '8.0.3-0.0.24022510',
  // As planned with no failure: canary 1, then 1, 2, 4, 4 (start 1, factor 2, max 4).
  waves: [
    { kind: 'canary', hostIds: hosts.slice(0, 1) },
    { kind: 'wave', hostIds: hosts.slice(1, 2) },
    { kind: 'wave', hostIds: hosts.slice(2, 4) },
    { kind: 'wave', hostIds: hosts.slice(4, 8) },
    { kind: 'wave', hostIds: hosts.slice(8, 12) },
  ],
  clusters: Object.fromEntries(hosts.map((h) => [h, 'a'])),
  maxInFlight: 10,
  maxPerCluster: null,
  failureBudget: 5,
  pauseBetweenWaves: { kind: 'none' },
  launchedBy: 'alice',
  rampUp: { start: 1, factor: 2, max: 4 },
  ...overrides,
});

const finish = (hostId: string, endState: HostEndState = 'upgraded', cause: HostEndCause = 'succeeded'): CampaignCommand => ({
  type: 'HostFinished',
  report: { hostId, attempt: 1, endState, cause, reason: endState === 'upgraded' ? '' : 'fell back' },
});
const wavesStarted = (events: readonly CampaignEvent[]) =>
  events.flatMap((e) => (e.type === 'WaveStarted' ? [{ wave: e.data.wave, hosts: e.data.hosts.length, why: e.data.rampUp }] : []));
/** Finishes every running host, failing those listed; returns the events decided. */
function finishRunning(events: CampaignEvent[], failing: readonly string[] = []): CampaignEvent[] {
  const decided: CampaignEvent[] = [];
  for (const host of state(events).hosts.filter((h) => h.status === 'running')) {
    decided.push(...run(events, failing.includes(host.hostId) ? finish(host.hostId, 'fell-back', 'failed') : finish(host.hostId)));
  }
  return decided;
}

describe('the campaign decider: ramp-up', () => {
  it('starts with the canary only; the first ramp wave is `start` hosts', () => {
    const events: CampaignEvent[] = [];
    run(events, { type: 'Launch', plan: plan() });
    expect(state(events).plan.waves).toHaveLength(1);
    expect(progressOf(state(events)).rampUp).toEqual({ start: 1, factor: 2, max: 4, unassigned: 11 });
    finishRunning(events);
    expect(wavesStarted(events)).toEqual([
      { wave: 0, hosts: 1, why: undefined },
      { wave: 1, hosts: 1, why: 'ramp-up starts at 1 host' },
    ]);
  });

  it('grows each wave by the factor while the last had no failure, capped at max', () => {
    const events: CampaignEvent[] = [];
    run(events, { type: 'Launch', plan: plan() });
    for (let i = 0; i < 6; i++) finishRunning(events);
    expect(wavesStarted(events).map((w) => w.hosts)).toEqual([1, 1, 2, 4, 4]);
    expect(wavesStarted(events)[3]?.why).toBe('4 hosts: ×2 of wave 2 (2 hosts, no failure), at most 4');
    expect(state(events).status).toBe('completed');
  });

  it('drops back to start after a wave with a failure, then grows again', () => {
    const events: CampaignEvent[] = [];
    run(events, { type: 'Launch', plan: plan() });
    finishRunning(events); // canary
    finishRunning(events); // wave 1 (1 host)
    finishRunning(events, ['h03']); // wave 2 (2 hosts): one fails
    expect(wavesStarted(events).at(-1)).toEqual({ wave: 3, hosts: 1, why: 'back to 1 host: wave 2 had 1 failure' });
    finishRunning(events); // wave 3 (1 host) succeeds
    expect(wavesStarted(events).at(-1)).toEqual({ wave: 4, hosts: 2, why: '2 hosts: ×2 of wave 3 (1 host, no failure)' });
    for (let i = 0; i < 4; i++) finishRunning(events);
    expect(wavesStarted(events).map((w) => w.hosts)).toEqual([1, 1, 2, 1, 2, 4, 1]);
    expect(state(events).status).toBe('completed');
    expect(state(events).hosts.every((h) => h.wave >= 0)).toBe(true);
  });

  it('keeps the pause between waves and the failure budget', () => {
    const events: CampaignEvent[] = [];
    run(events, { type: 'Launch', plan: plan({ pauseBetweenWaves: { kind: 'manual' }, failureBudget: 0 }) });
    finishRunning(events);
    expect(state(events).status).toBe('awaiting-approval');
    run(events, { type: 'Approve', by: 'bob' });
    finishRunning(events, ['h02']);
    expect(state(events).status).toBe('halted');
    expect(progressOf(state(events)).rampUp?.unassigned).toBe(10);
  });

  it('cancels hosts no wave has taken yet as untouched', () => {
    const events: CampaignEvent[] = [];
    run(events, { type: 'Launch', plan: plan() });
    run(events, { type: 'Cancel', by: 'bob', reason: 'stop' });
    finishRunning(events);
    expect(state(events).hosts.filter((h) => h.status === 'untouched')).toHaveLength(11);
  });
});
