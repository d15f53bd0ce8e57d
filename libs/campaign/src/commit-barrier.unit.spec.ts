// The fleet commit barrier, given/when/then: hosts verify and wait at their barrier (a
// wave's, or the campaign's); the last to verify releases it for all (commit); any host
// behind it that does not succeed, a timeout or a cancel rolls every waiting host back.
import { describe, expect, it } from 'vitest';
import { run, stateOf as state } from '../test/decider-steps';
import type { CampaignCommand } from './commands';
import { decide } from './decide';
import type { CampaignEvent, CampaignEventOf } from './events';
import { progressOf } from './progress';
import type { CampaignPlan } from './state';

const plan = (overrides: Partial<CampaignPlan> = {}): CampaignPlan => ({
  name: 'barrier',
  targetBuild: '8.0.3-0.0.24022510',
  waves: [
    { kind: 'canary', hostIds: ['h1'] },
    { kind: 'wave', hostIds: ['h2', 'h3', 'h4'] },
    { kind: 'wave', hostIds: ['h5'] },
  ],
  clusters: { h1: 'a', h2: 'a', h3: 'a', h4: 'a', h5: 'a' },
  maxInFlight: 3,
  maxPerCluster: null,
  failureBudget: 1,
  pauseBetweenWaves: { kind: 'none' },
  launchedBy: 'alice',
  commitBarrier: { scope: 'wave', timeoutMs: 600_000 },
  ...overrides,
});
const types = (events: readonly CampaignEvent[]) => events.map((e) => e.type);
const releases = (events: readonly CampaignEvent[]) => events.filter((e): e is CampaignEventOf<'BarrierReleased'> => e.type === 'BarrierReleased').map((e) => e.data);
const verified = (hostId: string, attempt = 1): CampaignCommand => ({ type: 'HostAwaitingCommit', hostId, attempt });
const upgraded = (hostId: string, attempt = 1): CampaignCommand => ({ type: 'HostFinished', report: { hostId, attempt, endState: 'upgraded', cause: 'succeeded', reason: '' } });
const failedVerify = (hostId: string, attempt = 1): CampaignCommand => ({
  type: 'HostFinished',
  report: { hostId, attempt, endState: 'rolled-back', cause: 'failed', reason: 'verify: health check vmkernel: down; rolled back' },
});
const rolledBackByBarrier = (hostId: string, attempt = 1): CampaignCommand => ({
  type: 'HostFinished',
  report: { hostId, attempt, endState: 'rolled-back', cause: 'cancelled', reason: 'commit barrier: rolled back' },
});
/** Given: the canary committed through its own barrier, wave 1 started. */
function throughCanary(overrides: Partial<CampaignPlan> = {}): CampaignEvent[] {
  const events: CampaignEvent[] = [];
  run(events, { type: 'Launch', plan: plan(overrides) });
  run(events, verified('h1'));
  run(events, upgraded('h1'));
  return events;
}

describe('the campaign decider: the commit barrier', () => {
  it('records the policy at launch, and none without it', () => {
    const events: CampaignEvent[] = [];
    run(events, { type: 'Launch', plan: plan() });
    expect(events[0]?.data).toMatchObject({ commitBarrier: { scope: 'wave', timeoutMs: 600_000 } });
    const plain: CampaignEvent[] = [];
    run(plain, { type: 'Launch', plan: plan({ commitBarrier: null }) });
    expect(plain[0]?.data).not.toHaveProperty('commitBarrier');
    expect(progressOf(state(plain))).not.toHaveProperty('commitBarrier');
  });

  it('holds verified hosts of a wave until the last one verified, then commits them all at once', () => {
    const events = throughCanary();
    expect(releases(events)).toEqual([{ campaignId: 'c', barrier: 'wave-0', round: 0, decision: 'commit', reason: 'all 1 host behind it verified', hostIds: ['h1'], late: [] }]);
    expect(types(run(events, verified('h2')))).toEqual(['HostAwaitingCommit']);
    expect(run(events, verified('h2'))).toEqual([]);
    run(events, verified('h3'));
    expect(progressOf(state(events))).toMatchObject({ inFlight: 3, waitingFor: 'waiting at the commit barrier of wave 1 (2 of 3 verified)' });
    expect(progressOf(state(events)).commitBarrier?.barriers[1]).toEqual({ barrier: 'wave-1', hosts: 3, inPlay: 3, verified: ['h2', 'h3'] });
    const last = run(events, verified('h4'));
    expect(types(last)).toEqual(['HostAwaitingCommit', 'BarrierReleased']);
    expect(releases(last)[0]).toMatchObject({ barrier: 'wave-1', decision: 'commit', hostIds: ['h2', 'h3', 'h4'] });
    expect(progressOf(state(events)).waitingFor).toBeUndefined();
    // The next wave waits until they committed: a wave ends when its hosts ended.
    run(events, upgraded('h2'));
    run(events, upgraded('h3'));
    expect(types(run(events, upgraded('h4')))).toEqual(['HostFinished', 'WaveFinished', 'WaveStarted', 'HostStarted']);
  });

  it('rolls back every waiting host when one behind the barrier fails, the failure budget notwithstanding; a host on its way is told when it arrives', () => {
    const events = throughCanary();
    run(events, verified('h2'));
    const failure = run(events, failedVerify('h3'));
    expect(types(failure)).toEqual(['HostFinished', 'BarrierReleased']);
    expect(releases(failure)[0]).toMatchObject({ barrier: 'wave-1', decision: 'rollback', hostIds: ['h2'], reason: 'h3 ended rolled-back: verify: health check vmkernel: down; rolled back' });
    expect(progressOf(state(events)).commitBarrier?.barriers[1]).toMatchObject({ decision: 'rollback', verified: [] });
    // h4 was still verifying: it is told as it arrives, with the same reason.
    const late = run(events, verified('h4'));
    expect(releases(late)).toEqual([{ campaignId: 'c', barrier: 'wave-1', round: 0, decision: 'rollback', reason: 'h3 ended rolled-back: verify: health check vmkernel: down; rolled back', hostIds: ['h4'], late: [] }]);
    // Hosts rolled back by the barrier do not count against the budget: 1 failure of 1 allowed, the campaign goes on.
    run(events, rolledBackByBarrier('h2'));
    const end = run(events, rolledBackByBarrier('h4'));
    expect(types(end)).toEqual(['HostFinished', 'WaveFinished', 'WaveStarted', 'HostStarted']);
    expect(state(events)).toMatchObject({ failed: 1, status: 'running' });
  });

  it('with commit: campaign, starts the next wave while hosts wait, and a failure rolls back the waiting ones and ends the ones not started', () => {
    const events: CampaignEvent[] = [];
    run(events, { type: 'Launch', plan: plan({ commitBarrier: { scope: 'campaign', timeoutMs: 600_000 }, maxInFlight: 5, failureBudget: 5 }) });
    const canary = run(events, verified('h1'));
    expect(types(canary)).toEqual(['HostAwaitingCommit', 'WaveFinished', 'WaveStarted', 'HostStarted', 'HostStarted', 'HostStarted']);
    expect(canary[1]?.data).toEqual({ campaignId: 'c', wave: 0, succeeded: 0, failed: 0, awaitingCommit: 1 });
    run(events, verified('h2'));
    expect(progressOf(state(events)).waitingFor).toBe("waiting at the campaign's commit barrier (2 of 5 verified)");
    const failure = run(events, failedVerify('h3'));
    expect(releases(failure)[0]).toMatchObject({ barrier: 'campaign', decision: 'rollback', hostIds: ['h1', 'h2'] });
    // h5 of the last wave never started: it ends untouched, and is not a failure.
    const h5 = state(events).hosts.find((h) => h.hostId === 'h5');
    expect(h5).toMatchObject({ status: 'untouched', cause: 'cancelled' });
    expect(h5?.reason).toMatch(/^not started: the campaign's commit barrier rolled back \(h3 ended rolled-back/);
    expect(state(events).failed).toBe(1);
  });

  it('commits the campaign barrier only when every host of every wave verified', () => {
    const events: CampaignEvent[] = [];
    run(events, { type: 'Launch', plan: plan({ commitBarrier: { scope: 'campaign', timeoutMs: 600_000 }, maxInFlight: 5 }) });
    for (const id of ['h1', 'h2', 'h3', 'h4']) expect(releases(run(events, verified(id)))).toEqual([]);
    const last = run(events, verified('h5'));
    expect(releases(last)[0]).toMatchObject({ barrier: 'campaign', decision: 'commit', hostIds: ['h1', 'h2', 'h3', 'h4', 'h5'] });
    for (const id of ['h1', 'h2', 'h3', 'h4']) run(events, upgraded(id));
    expect(types(run(events, upgraded('h5')))).toContain('CampaignCompleted');
  });

  it('rolls back on timeout; the hosts that had not verified count as failed when they arrive; a stale timer changes nothing', () => {
    const events = throughCanary();
    run(events, verified('h2'));
    expect(run(events, { type: 'BarrierTimedOut', barrier: 'wave-1', round: 1 })).toEqual([]);
    const timedOut = run(events, { type: 'BarrierTimedOut', barrier: 'wave-1', round: 0 });
    expect(releases(timedOut)[0]).toMatchObject({ decision: 'rollback', hostIds: ['h2'], late: ['h3', 'h4'], reason: 'timed out: 2 hosts had not verified 600 s after the first host reached it (h3, h4)' });
    expect(releases(run(events, verified('h3')))[0]).toMatchObject({ decision: 'rollback', hostIds: ['h3'], late: ['h3'] });
    expect(run(events, { type: 'BarrierTimedOut', barrier: 'wave-1', round: 0 })).toEqual([]);
  });

  it('a cancel rolls back the hosts waiting at an open barrier', () => {
    const events = throughCanary();
    run(events, verified('h2'));
    const cancelled = run(events, { type: 'Cancel', by: 'bob', reason: 'stop' });
    expect(types(cancelled)).toEqual(['CampaignCancelled', 'BarrierReleased']);
    expect(releases(cancelled)[0]).toMatchObject({ barrier: 'wave-1', decision: 'rollback', reason: 'the campaign was cancelled', hostIds: ['h2'] });
  });

  it('retries the hosts behind a rolled-back barrier together, in a new round that can commit', () => {
    const events = throughCanary({ failureBudget: 0 });
    run(events, verified('h2'));
    run(events, verified('h3'));
    run(events, failedVerify('h4'));
    run(events, rolledBackByBarrier('h2'));
    run(events, rolledBackByBarrier('h3'));
    expect(state(events).status).toBe('halted');
    const partial = decide({ type: 'Retry', by: 'bob', hostIds: ['h4'] }, state(events));
    expect(partial).toEqual({
      ok: false,
      refusal: { code: 'PARTIAL_BARRIER_RETRY', message: 'the commit barrier of wave 1 rolls its hosts back together, so they are retried together: also retry h2, h3 (or retry without naming hosts)' },
    });
    run(events, { type: 'Retry', by: 'bob', hostIds: ['h2', 'h3', 'h4'] });
    expect(state(events).barriers?.['wave-1']).toEqual({ round: 1 });
    for (const id of ['h2', 'h3']) run(events, verified(id, 2));
    const last = run(events, verified('h4', 2));
    expect(releases(last)[0]).toMatchObject({ barrier: 'wave-1', round: 1, decision: 'commit', hostIds: ['h2', 'h3', 'h4'] });
  });
});
