import { describe, expect, it } from 'vitest';
import { applyOutcome, haltReason, hostsToStart, initialCampaignState, requeue, waveComplete, type CampaignState } from './campaign-state';

const clusters = { a1: 'a', a2: 'a', a3: 'a', b1: 'b', b2: 'b', c1: 'c' };
const plan = [{ hostIds: ['a1'] }, { hostIds: ['a2', 'a3', 'b1', 'b2', 'c1'] }];
const fresh = (): CampaignState => initialCampaignState(plan, clusters);
const ids = (hosts: { hostId: string }[]) => hosts.map((h) => h.hostId);
const running = (state: CampaignState, ...hostIds: string[]) => {
  for (const h of state.hosts) if (hostIds.includes(h.hostId)) h.status = 'running';
};

describe('campaign scheduling', () => {
  it('starts only hosts of the current wave, in plan order, up to maxInFlight', () => {
    const state = fresh();
    expect(ids(hostsToStart(state, { maxInFlight: 3 }))).toEqual(['a1']);
    state.hosts[0]!.status = 'upgraded';
    state.wave = 1;
    expect(ids(hostsToStart(state, { maxInFlight: 3 }))).toEqual(['a2', 'a3', 'b1']);
    running(state, 'a2', 'a3');
    expect(ids(hostsToStart(state, { maxInFlight: 3 }))).toEqual(['b1']);
  });

  it('holds back hosts of a cluster that has maxPerCluster in flight, and fills the window from other clusters', () => {
    const state = fresh();
    state.hosts[0]!.status = 'upgraded';
    state.wave = 1;
    expect(ids(hostsToStart(state, { maxInFlight: 4, maxPerCluster: 1 }))).toEqual(['a2', 'b1', 'c1']);
    running(state, 'a2');
    expect(ids(hostsToStart(state, { maxInFlight: 4, maxPerCluster: 1 }))).toEqual(['b1', 'c1']);
  });

  it('halts on any canary failure, and on failures beyond the budget elsewhere', () => {
    const state = fresh();
    running(state, 'a1');
    applyOutcome(state, { hostId: 'a1', kind: 'fell-back', reason: 'boot: fell back' });
    expect(haltReason(state, 5, true)).toBe('canary host a1 failed (boot: fell back); no other host was touched');

    const later = fresh();
    later.hosts[0]!.status = 'upgraded';
    running(later, 'a2', 'a3');
    applyOutcome(later, { hostId: 'a2', kind: 'rolled-back', reason: 'verify' });
    expect(haltReason(later, 1, false)).toBeUndefined();
    applyOutcome(later, { hostId: 'a3', kind: 'failed', reason: 'reboot' });
    expect(haltReason(later, 1, false)).toBe('2 hosts failed, more than the failure budget of 1');
  });

  it('ignores a report for a host that is not running (late or duplicate)', () => {
    const state = fresh();
    running(state, 'a1');
    expect(applyOutcome(state, { hostId: 'a1', kind: 'upgraded', reason: '' })?.status).toBe('upgraded');
    expect(applyOutcome(state, { hostId: 'a1', kind: 'failed', reason: 'late' })).toBeUndefined();
    expect(state.hosts[0]!.status).toBe('upgraded');
    expect(applyOutcome(state, { hostId: 'zz', kind: 'failed', reason: '' })).toBeUndefined();
  });

  it('requeues failed and cancelled hosts (all, or those named) with who asked, and a wave is complete only when none is pending or running', () => {
    const state = fresh();
    state.hosts[0]!.status = 'upgraded';
    for (const h of state.hosts.slice(1)) h.status = 'failed';
    state.hosts[5]!.status = 'cancelled';
    expect(waveComplete(state, 1)).toBe(true);
    expect(requeue(state, ['a2', 'a1'], 'bob')).toEqual(['a2']);
    expect(state.hosts[1]).toMatchObject({ status: 'pending', operator: 'bob', reason: undefined });
    expect(waveComplete(state, 1)).toBe(false);
    expect(requeue(state, undefined)).toEqual(['a3', 'b1', 'b2', 'c1']);
  });
});
