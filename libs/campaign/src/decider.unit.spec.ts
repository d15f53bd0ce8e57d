// The campaign decider, given/when/then: given the campaign's events, when a command,
// then the events it decides (or its refusal). The campaign workflow only feeds it.
import type { HostEndCause, HostEndState } from '@bankswitch/banks';
import { describe, expect, it } from 'vitest';
import type { CampaignCommand } from './commands';
import { decide } from './decide';
import type { CampaignDecision } from './decision';
import { campaignEventDataSchemas, type CampaignEvent } from './events';
import { evolveAll } from './evolve';
import { progressOf } from './progress';
import type { CampaignPlan, CampaignState } from './state';
import { initialState } from './state';

const ID = 'c1';
const plan = (overrides: Partial<CampaignPlan> = {}): CampaignPlan => ({
  name: 'rollout',
  targetBuild: '8.0.3',
  waves: [
    { kind: 'canary', hostIds: ['a1'] },
    { kind: 'wave', hostIds: ['a2', 'a3', 'b1', 'b2', 'c1'] },
  ],
  clusters: { a1: 'a', a2: 'a', a3: 'a', b1: 'b', b2: 'b', c1: 'c' },
  maxInFlight: 3,
  maxPerCluster: null,
  failureBudget: 1,
  pauseBetweenWaves: { kind: 'none' },
  launchedBy: 'alice',
  ...overrides,
});

/** Runs commands in order from an empty stream; every decided event must match its schema. */
function given(...commands: CampaignCommand[]): CampaignEvent[] {
  const events: CampaignEvent[] = [];
  for (const command of commands) events.push(...accepted(events, command));
  return events;
}
function when(events: readonly CampaignEvent[], command: CampaignCommand): CampaignDecision {
  const decision = decide(command, stateOf(events));
  if (decision.ok) for (const e of decision.events) expect(campaignEventDataSchemas[e.type].parse(e.data)).toEqual(e.data);
  return decision;
}
function accepted(events: readonly CampaignEvent[], command: CampaignCommand): CampaignEvent[] {
  const decision = when(events, command);
  if (!decision.ok) throw new Error(`refused: ${decision.refusal.message}`);
  return [...decision.events];
}
const stateOf = (events: readonly CampaignEvent[]): CampaignState => evolveAll(initialState(ID), events);
const launch = (overrides: Partial<CampaignPlan> = {}): CampaignCommand => ({ type: 'Launch', plan: plan(overrides) });
const finished = (hostId: string, endState: HostEndState = 'upgraded', cause: HostEndCause = 'succeeded', attempt = 1): CampaignCommand => ({
  type: 'HostFinished',
  report: { hostId, attempt, endState, cause, reason: endState === 'upgraded' ? '' : `${hostId} ${endState}` },
});
const started = (events: readonly CampaignEvent[]) => events.flatMap((e) => (e.type === 'HostStarted' ? [e.data.hostId] : []));
const types = (events: readonly CampaignEvent[]) => events.map((e) => e.type);
const statusOf = (events: readonly CampaignEvent[], hostId: string) => stateOf(events).hosts.find((h) => h.hostId === hostId)?.status;

describe('the campaign decider', () => {
  it('launches: records the plan, starts wave 0 and only the canary', () => {
    const events = given(launch());
    expect(types(events)).toEqual(['CampaignLaunched', 'WaveStarted', 'HostStarted']);
    expect(started(events)).toEqual(['a1']);
    expect(when(events, launch())).toMatchObject({ ok: false, refusal: { code: 'ALREADY_LAUNCHED' } });
  });

  it('after the canary, starts the next wave up to maxInFlight, then one host per free slot, in plan order', () => {
    const events = given(launch());
    const next = accepted(events, finished('a1'));
    expect(types(next)).toEqual(['HostFinished', 'WaveFinished', 'WaveStarted', 'HostStarted', 'HostStarted', 'HostStarted']);
    expect(started(next)).toEqual(['a2', 'a3', 'b1']);
    const all = [...events, ...next];
    expect(started(accepted(all, finished('a3')))).toEqual(['b2']);
  });

  it('holds back hosts of a cluster that has maxPerCluster in flight, and fills the window from other clusters', () => {
    const events = given(launch({ maxInFlight: 4, maxPerCluster: 1 }), finished('a1'));
    expect(stateOf(events).hosts.filter((h) => h.status === 'running').map((h) => h.hostId)).toEqual(['a2', 'b1', 'c1']);
  });

  it('halts on any canary failure, with no other host touched', () => {
    const events = given(launch({ failureBudget: 5 }));
    const next = accepted(events, finished('a1', 'fell-back', 'failed'));
    expect(types(next)).toEqual(['HostFinished', 'CampaignHalted']);
    expect(next[1]).toMatchObject({ data: { reason: 'canary host a1 failed (a1 fell-back); no other host was touched' } });
    expect(stateOf([...events, ...next]).hosts.filter((h) => h.status === 'pending')).toHaveLength(5);
  });

  it('halts once failures exceed the budget; hosts in flight still report, none starts; cancelled hosts do not count', () => {
    let events = given(launch({ failureBudget: 1 }), finished('a1'), finished('a2', 'rolled-back', 'failed'));
    expect(stateOf(events).status).toBe('running');
    events = [...events, ...accepted(events, finished('a3', 'untouched', 'cancelled'))];
    expect(stateOf(events).status).toBe('running');
    const halted = accepted(events, finished('b1', 'needs-attention', 'failed'));
    expect(types(halted)).toEqual(['HostFinished', 'CampaignHalted']);
    events = [...events, ...halted];
    expect(stateOf(events)).toMatchObject({ status: 'halted', haltReason: '2 hosts failed, more than the failure budget of 1', running: 2 });
    expect(types(accepted(events, finished('b2')))).toEqual(['HostFinished']);
  });

  it('retries a host of an earlier wave while the campaign runs: it starts at once when a slot is free', () => {
    const events = given(launch({ maxInFlight: 2, failureBudget: 5 }), finished('a1'), finished('a2', 'fell-back', 'failed'));
    // Wave 1 runs (a3, b1 in flight); a2 failed in that wave, a1 is the canary. Retry a2 and, failing it first, a1's wave too.
    const retried = accepted(events, { type: 'Retry', by: 'bob', hostIds: ['a2'] });
    expect(types(retried)).toEqual(['HostsRequeued']);
    const all = [...events, ...retried];
    // The next free slot goes to the requeued host first (plan order).
    expect(started(accepted(all, finished('a3')))).toEqual(['a2']);
    expect(stateOf(all).hosts.find((h) => h.hostId === 'a2')).toMatchObject({ status: 'pending', operator: 'bob' });
  });

  it('retries an earlier-wave host after a later wave started: it runs (it used to wait for its own wave for ever)', () => {
    const p = { waves: [{ kind: 'canary' as const, hostIds: ['a1'] }, { kind: 'wave' as const, hostIds: ['a2'] }, { kind: 'wave' as const, hostIds: ['a3', 'b1'] }], maxInFlight: 1, failureBudget: 3 };
    const events = given(launch(p), finished('a1'), finished('a2', 'rolled-back', 'failed'));
    expect(stateOf(events).wave).toBe(2);
    expect(statusOf(events, 'a3')).toBe('running');
    const all = [...events, ...accepted(events, { type: 'Retry', hostIds: ['a2'] })];
    expect(started(accepted(all, finished('a3')))).toEqual(['a2']);
  });

  it('a retry accepted while halted sets the campaign going again', () => {
    const events = given(launch({ failureBudget: 0 }), finished('a1'), finished('a2', 'fell-back', 'failed'));
    expect(stateOf(events).status).toBe('halted');
    const retried = accepted(events, { type: 'Retry', by: 'bob' });
    expect(types(retried)).toEqual(['HostsRequeued', 'HostStarted']);
    expect(started(retried)).toEqual(['a2']);
    expect(stateOf([...events, ...retried]).status).toBe('running');
  });

  it('refuses to retry a host that did not fail, or one of another campaign, in plain words', () => {
    const events = given(launch(), finished('a1'));
    expect(when(events, { type: 'Retry', hostIds: ['a1'] })).toMatchObject({ ok: false, refusal: { message: 'host a1 is upgraded (succeeded), not failed: only failed or cancelled hosts can be retried' } });
    expect(when(events, { type: 'Retry', hostIds: ['zz'] })).toMatchObject({ ok: false, refusal: { code: 'UNKNOWN_HOST' } });
    expect(when(events, { type: 'Retry' })).toMatchObject({ ok: false, refusal: { code: 'NOTHING_TO_RETRY' } });
  });

  it('pauses between waves for approval, once: a retry run does not ask again before waves already done', () => {
    const p = { pauseBetweenWaves: { kind: 'manual' as const }, failureBudget: 5 };
    let events = given(launch(p), finished('a1'));
    expect(stateOf(events)).toMatchObject({ status: 'awaiting-approval', pause: { kind: 'approval', reason: 'waiting for approval before wave 1' } });
    expect(when(events, { type: 'Pause' })).toMatchObject({ ok: false, refusal: { message: 'cannot pause a campaign that is awaiting-approval' } });
    const approved = accepted(events, { type: 'Approve', by: 'dora' });
    expect(types(approved)).toEqual(['CampaignResumed', 'WaveStarted', 'HostStarted', 'HostStarted', 'HostStarted']);
    events = [...events, ...approved];
    for (const id of ['a2', 'a3', 'b1']) events = [...events, ...accepted(events, finished(id, id === 'a2' ? 'fell-back' : 'upgraded', id === 'a2' ? 'failed' : 'succeeded'))];
    for (const id of ['b2', 'c1']) events = [...events, ...accepted(events, finished(id))];
    expect(stateOf(events).status).toBe('completed');
    // A retry run: the failed host runs again, no approval is asked for wave 1 again.
    const retried = accepted(events, { type: 'Retry' });
    expect(types(retried)).toEqual(['HostsRequeued', 'HostStarted']);
    events = [...events, ...retried];
    expect(types(accepted(events, finished('a2', 'upgraded', 'succeeded', 2)))).toEqual(['HostFinished', 'CampaignCompleted']);
  });

  it('waits a timed pause between waves; its timer resumes it; an operator pause during it holds it', () => {
    let events = given(launch({ pauseBetweenWaves: { kind: 'timed', ms: 2000 } }), finished('a1'));
    expect(stateOf(events)).toMatchObject({ status: 'paused', pause: { kind: 'timed', ms: 2000, afterWave: 0 } });
    expect(types(accepted(events, { type: 'TimerFired', timer: 'pause-between-waves', wave: 0 }))).toEqual(['CampaignResumed', 'WaveStarted', 'HostStarted', 'HostStarted', 'HostStarted']);
    // A stale timer changes nothing; an operator's pause turns the timed pause into a held one.
    expect(when(events, { type: 'TimerFired', timer: 'pause-between-waves', wave: 3 })).toEqual({ ok: true, events: [] });
    events = [...events, ...accepted(events, { type: 'Pause', by: 'erin', reason: 'hold on' })];
    expect(when(events, { type: 'TimerFired', timer: 'pause-between-waves', wave: 0 })).toEqual({ ok: true, events: [] });
    const resumed = accepted(events, { type: 'Resume' });
    // Resuming an operator's pause does not count as the wait: the timed pause starts again.
    expect(types(resumed)).toEqual(['CampaignResumed', 'CampaignPaused']);
  });

  it('pause stops new hosts from starting; in-flight hosts still report; resume goes on', () => {
    let events = given(launch({ maxInFlight: 1 }), finished('a1'));
    events = [...events, ...accepted(events, { type: 'Pause', by: 'alice', reason: 'change freeze' })];
    expect(types(accepted(events, finished('a2')))).toEqual(['HostFinished']);
    events = [...events, ...accepted(events, finished('a2'))];
    expect(started(accepted(events, { type: 'Resume', by: 'bob' }))).toEqual(['a3']);
  });

  it('cancel ends the campaign: pending hosts are untouched (cancelled), in-flight ones still report', () => {
    let events = given(launch(), finished('a1'));
    events = [...events, ...accepted(events, { type: 'Cancel', by: 'carol', reason: 'wrong build' })];
    const state = stateOf(events);
    expect(state.status).toBe('cancelled');
    expect(state.hosts.filter((h) => h.status === 'untouched' && h.cause === 'cancelled').map((h) => h.hostId)).toEqual(['b2', 'c1']);
    expect(types(accepted(events, finished('a2', 'rolled-back', 'cancelled')))).toEqual(['HostFinished']);
    expect(when(events, { type: 'Cancel' })).toMatchObject({ ok: false, refusal: { code: 'WRONG_STATUS' } });
    expect(when(events, { type: 'Retry' })).toMatchObject({ ok: false });
  });

  it('ignores duplicate and stale reports; a host that needed attention can be settled later by the same attempt', () => {
    let events = given(launch());
    events = [...events, ...accepted(events, finished('a1', 'needs-attention', 'failed'))];
    expect(when(events, finished('a1', 'needs-attention', 'failed'))).toEqual({ ok: true, events: [] });
    expect(when(events, finished('a1', 'upgraded', 'succeeded', 7))).toEqual({ ok: true, events: [] });
    const later = accepted(events, finished('a1', 'rolled-back', 'failed'));
    expect(types(later)).toEqual(['HostFinished']);
    expect(statusOf([...events, ...later], 'a1')).toBe('rolled-back');
  });

  it('a host whose workflow could not start is untouched and failed, and counts against the budget', () => {
    const events = given(launch({ failureBudget: 0 }));
    const next = accepted(events, { type: 'HostStartFailed', hostId: 'a1', reason: 'another operation on a1 runs' });
    expect(types(next)).toEqual(['HostFinished', 'CampaignHalted']);
    expect(next[0]).toMatchObject({ data: { endState: 'untouched', cause: 'failed' } });
  });

  it('completes when every wave is done, and the progress view counts hosts per wave', () => {
    let events = given(launch({ maxInFlight: 5 }), finished('a1'));
    for (const id of ['a2', 'a3', 'b1', 'b2']) events = [...events, ...accepted(events, finished(id))];
    const last = accepted(events, { type: 'HostFinished', report: { hostId: 'c1', attempt: 1, endState: 'untouched', cause: 'already-on-target', reason: 'already runs 8.0.3' } });
    expect(types(last)).toEqual(['HostFinished', 'WaveFinished', 'CampaignCompleted']);
    expect(last[2]).toMatchObject({ data: { succeeded: 5, failed: 0, skipped: 1 } });
    const progress = progressOf(stateOf([...events, ...last]));
    expect(progress).toMatchObject({ status: 'completed', inFlight: 0, failed: 0, waves: [{ total: 1, counts: { upgraded: 1 } }, { total: 5, counts: { upgraded: 4, untouched: 1 } }] });
  });

  it('folds legacy host outcome events of campaigns recorded by the first engine', () => {
    const events: CampaignEvent[] = [
      ...given(launch()),
      { type: 'HostUpgradeFailed', data: { campaignId: ID, hostId: 'a1', wave: 0, toBuild: '8.0.3', attempt: 1, outcome: 'fell-back', reason: 'fell back', failedStep: 'boot', bootLog: [] } },
    ];
    expect(stateOf(events).hosts[0]).toMatchObject({ status: 'fell-back', cause: 'failed' });
  });
});
