import { describe, expect, it } from 'vitest';
import { formatPlan, planCampaign, validateCampaignSpec } from '../index';
import { fleet, SHA, spec, TARGET } from '../../test/fixtures';

const errorsOf = (fields: Record<string, unknown>) => {
  const result = validateCampaignSpec({ name: 'p', target: { build: TARGET, payload: '/i.zip', sha256: SHA }, hosts: { clusters: ['a'] }, ...fields });
  return result.ok ? [] : result.errors.map((e) => `${e.path}: ${e.message}`);
};

describe('spec: approvals, every error at its path', () => {
  it('defaults every pause point to none', () => {
    expect(spec({}).approvals).toEqual({ beforeStage: 'none', beforeReboot: 'none', beforeCommit: 'none' });
    expect(spec({ approvals: { beforeReboot: 'canary', beforeCommit: 'all' } }).approvals).toEqual({ beforeStage: 'none', beforeReboot: 'canary', beforeCommit: 'all' });
  });

  it('reports each bad key at its path', () => {
    expect(errorsOf({ approvals: { beforeStage: 'some', beforeCommit: true, afterCommit: 'all' } })).toEqual([
      'approvals.beforeStage: expected "canary" (hosts of the canary wave wait), "all" (every host waits) or "none"',
      'approvals.beforeCommit: expected "canary" (hosts of the canary wave wait), "all" (every host waits) or "none"',
      'approvals.afterCommit: unknown field',
    ]);
  });
});

describe('planCampaign and formatPlan: approvals', () => {
  it('names the hosts that wait at each point', () => {
    const s = spec({ hosts: { clusters: ['a'] }, strategy: { canary: 1, pauseBetweenWaves: 'none' }, approvals: { beforeReboot: 'canary', beforeCommit: 'all' } });
    const planned = planCampaign(s, fleet({ a: 3 }));
    if (!planned.ok) throw new Error(JSON.stringify(planned.errors));
    expect(planned.plan.approvals).toEqual({ beforeStage: 'none', beforeReboot: 'canary', beforeCommit: 'all' });
    const lines = formatPlan(planned.plan).split('\n').filter((l) => l.startsWith('Approval'));
    expect(lines).toEqual([
      "Approval before the reboot: the canary wave's 1 host waits for an operator (in flight, without a time limit): a-01.",
      'Approval before the commit: all 3 hosts wait for an operator (in flight, without a time limit): a-01, a-02, a-03.',
    ]);
  });

  it('shows nothing without approvals', () => {
    const planned = planCampaign(spec({ hosts: { clusters: ['a'] } }), fleet({ a: 2 }));
    if (!planned.ok) throw new Error(JSON.stringify(planned.errors));
    expect(formatPlan(planned.plan)).not.toContain('Approval');
  });
});
