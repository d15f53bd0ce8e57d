// Approvals, given/when/then: hosts of the planned waves wait at the plan's pause points;
// their reports are recorded once; operators approve one host or all waiting hosts.
import { describe, expect, it } from 'vitest';
import { run, stateOf as state } from '../test/decider-steps';
import { ruleOnHostApproval } from './approvals';
import type { CampaignCommand } from './commands';
import { decide } from './decide';
import type { CampaignEvent } from './events';
import { progressOf } from './progress';
import type { CampaignPlan } from './state';
import { approvalPointsFor } from './state';

const plan = (overrides: Partial<CampaignPlan> = {}): CampaignPlan => ({
  name: 'approvals',
  targetBuild: '8.0.3-0.0.24022510',
  waves: [
    { kind: 'canary', hostIds: ['h1'] },
    { kind: 'wave', hostIds: ['h2', 'h3'] },
  ],
  clusters: { h1: 'a', h2: 'a', h3: 'a' },
  maxInFlight: 2,
  maxPerCluster: null,
  failureBudget: 1,
  pauseBetweenWaves: { kind: 'none' },
  launchedBy: 'alice',
  approvals: { beforeStage: 'none', beforeReboot: 'canary', beforeCommit: 'all' },
  ...overrides,
});
const refusal = (events: CampaignEvent[], command: CampaignCommand) => {
  const decision = decide(command, state(events));
  return decision.ok ? undefined : decision.refusal;
};
const types = (events: readonly CampaignEvent[]) => events.map((e) => e.type);
const finish = (hostId: string): CampaignCommand => ({ type: 'HostFinished', report: { hostId, attempt: 1, endState: 'upgraded', cause: 'succeeded', reason: '' } });
const waits = (hostId: string, point: 'stage' | 'reboot' | 'commit'): CampaignCommand => ({ type: 'HostAwaitingApproval', hostId, attempt: 1, point });

describe('the campaign decider: approvals', () => {
  it('gives each wave its pause points: canary only the canary wave, all every host', () => {
    const p = plan();
    expect(approvalPointsFor(p, 0)).toEqual(['reboot', 'commit']);
    expect(approvalPointsFor(p, 1)).toEqual(['commit']);
    expect(approvalPointsFor(plan({ approvals: null }), 0)).toEqual([]);
    // Without a canary wave, `canary` concerns no host.
    expect(approvalPointsFor(plan({ waves: [{ kind: 'wave', hostIds: ['h1'] }] }), 0)).toEqual(['commit']);
  });

  it('records the plan, a host waiting once, and an approval with who gave it', () => {
    const events: CampaignEvent[] = [];
    run(events, { type: 'Launch', plan: plan() });
    expect(events[0]?.data).toMatchObject({ approvals: { beforeReboot: 'canary', beforeCommit: 'all' } });
    expect(types(run(events, waits('h1', 'reboot')))).toEqual(['HostWaitingForApproval']);
    expect(run(events, waits('h1', 'reboot'))).toEqual([]);
    expect(progressOf(state(events))).toMatchObject({ inFlight: 1, awaitingApproval: { stage: [], reboot: ['h1'], commit: [] }, waitingFor: 'hosts waiting for approval: before reboot h1' });
    const granted = run(events, { type: 'ApproveHosts', by: 'bob', hostIds: ['h1'] });
    expect(granted).toEqual([{ type: 'HostApproved', data: { campaignId: 'c', hostId: 'h1', attempt: 1, point: 'reboot', by: 'bob' } }]);
    expect(progressOf(state(events))).toMatchObject({ awaitingApproval: { reboot: [] } });
    expect(progressOf(state(events)).waitingFor).toBeUndefined();
  });

  it('ignores a point the plan does not give the host, and a host that is not running', () => {
    const events: CampaignEvent[] = [];
    run(events, { type: 'Launch', plan: plan() });
    expect(run(events, waits('h1', 'stage'))).toEqual([]);
    expect(run(events, waits('h2', 'commit'))).toEqual([]);
  });

  it('approves every waiting host at once, at one point or all, and refuses what nobody waits for', () => {
    const events: CampaignEvent[] = [];
    run(events, { type: 'Launch', plan: plan({ approvals: { beforeStage: 'all', beforeReboot: 'none', beforeCommit: 'all' } }) });
    expect(refusal(events, { type: 'ApproveHosts', by: 'bob' })).toEqual({ code: 'NOTHING_TO_APPROVE', message: 'no host of campaign c is waiting for approval' });
    run(events, finish('h1'));
    run(events, waits('h2', 'stage'));
    run(events, waits('h3', 'stage'));
    expect(refusal(events, { type: 'ApproveHosts', point: 'commit' })?.message).toBe('no host of campaign c is waiting for approval before the commit');
    expect(refusal(events, { type: 'ApproveHosts', hostIds: ['h1'] })?.message).toBe('h1 is not waiting for approval in campaign c');
    expect(refusal(events, { type: 'ApproveHosts', hostIds: ['h9'] })?.code).toBe('UNKNOWN_HOST');
    const granted = run(events, { type: 'ApproveHosts', by: 'bob', point: 'stage' });
    expect(granted.map((e) => e.type === 'HostApproved' && `${e.data.hostId}@${e.data.point} by ${e.data.by}`)).toEqual(['h2@stage by bob', 'h3@stage by bob']);
    run(events, waits('h2', 'commit'));
    expect(progressOf(state(events)).awaitingApproval).toEqual({ stage: [], reboot: [], commit: ['h2'] });
  });

  it('forgets a wait when the host ends (a cancel while waiting settles it)', () => {
    const events: CampaignEvent[] = [];
    run(events, { type: 'Launch', plan: plan() });
    run(events, waits('h1', 'reboot'));
    run(events, { type: 'Cancel', by: 'bob', reason: 'stop' });
    run(events, { type: 'HostFinished', report: { hostId: 'h1', attempt: 1, endState: 'untouched', cause: 'cancelled', reason: 'cancelled while awaiting approval before the reboot' } });
    expect(progressOf(state(events)).awaitingApproval).toEqual({ stage: [], reboot: [], commit: [] });
    expect(refusal(events, { type: 'ApproveHosts' })?.code).toBe('NOTHING_TO_APPROVE');
  });

  it('launches without approvals as before: no approvals field in the event', () => {
    const events: CampaignEvent[] = [];
    run(events, { type: 'Launch', plan: plan({ approvals: { beforeStage: 'none', beforeReboot: 'none', beforeCommit: 'none' } }) });
    expect(events[0]?.data).not.toHaveProperty('approvals');
    expect(progressOf(state(events))).not.toHaveProperty('awaitingApproval');
  });

  it('rules on an approval a host workflow receives', () => {
    expect(ruleOnHostApproval(undefined, undefined)).toEqual({ ok: false, message: 'the host is not waiting for approval' });
    expect(ruleOnHostApproval('reboot', 'commit')).toEqual({ ok: false, message: 'the host waits for approval before the reboot, not before the commit' });
    expect(ruleOnHostApproval('reboot', undefined)).toEqual({ ok: true });
  });
});
