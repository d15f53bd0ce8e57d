import { describe, expect, it } from 'vitest';
import { formatSpecErrors, planCampaign, type HostBankState } from '../index';
import { fleet, OLD, OLDER, spec as baseSpec, TARGET } from '../../test/fixtures';

const hosts = fleet({ a: 4 });
const spec = (overrides: Record<string, unknown> = {}) => baseSpec({ hosts: { clusters: ['a'] }, ...overrides });
const healthy: HostBankState = { bootedBuild: OLD, bootedBankCommitted: true, alternateBuild: null, alternateValid: false };

describe('planCampaign: bank states and rollback images', () => {
  it('skips hosts already on the target build and says so', () => {
    const banks = { 'id-a-01': healthy, 'id-a-02': { ...healthy, bootedBuild: TARGET }, 'id-a-03': healthy, 'id-a-04': healthy };
    const result = planCampaign(spec(), hosts, banks);
    if (!result.ok) throw new Error(formatSpecErrors(result.errors));
    expect(result.plan.skipped).toEqual(['id-a-02']);
    expect(result.plan.waves.flatMap((w) => w.hostIds)).not.toContain('id-a-02');
    expect(result.plan.warnings).toEqual([{ kind: 'already-on-target', hostId: 'id-a-02', message: `a-02: already boots ${TARGET}; skipped` }]);
  });

  it('warns that staging overwrites a valid rollback image, naming what is lost and what remains', () => {
    const banks = new Map(hosts.map((h) => [h.id, { ...healthy, alternateBuild: OLDER, alternateValid: true }]));
    const result = planCampaign(spec(), hosts, banks);
    if (!result.ok) throw new Error(formatSpecErrors(result.errors));
    expect(result.plan.warnings).toHaveLength(4);
    expect(result.plan.warnings[0]).toEqual({
      kind: 'rollback-image-overwritten',
      hostId: 'id-a-01',
      message: `a-01: staging overwrites the alternate bank and loses ${OLDER}, today its only rollback image; afterwards the host can roll back only to ${OLD}. Leave the host out of this campaign if ${OLDER} must stay available`,
    });
  });

  it('refuses a host that would be left with no known-good image unless it is waived', () => {
    const banks = {
      'id-a-01': { bootedBuild: OLD, bootedBankCommitted: false, alternateBuild: OLDER, alternateValid: true },
      'id-a-02': { bootedBuild: OLD, bootedBankCommitted: false, alternateBuild: null, alternateValid: false },
      'id-a-03': healthy,
      'id-a-04': healthy,
    };
    const refused = planCampaign(spec(), hosts, banks);
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.errors).toHaveLength(2);
    expect(refused.errors[0]?.message).toBe(
      `a-01: staging overwrites the alternate bank and loses ${OLDER}, the host's only known-good image, because the booted ${OLD} was never committed; ` +
        `if the upgrade fails there is nothing known-good to fall back to. Verify and commit ${OLD}, or roll back to ${OLDER}, before upgrading; ` +
        'or waive it: verification.waiveRollbackImage: [a-01]',
    );

    const waived = planCampaign(spec({ verification: { waiveRollbackImage: ['a-01', 'id-a-02'] } }), hosts, banks);
    expect(waived.ok && waived.plan.warnings.map((w) => [w.kind, w.hostId, w.message.endsWith('(waived)')])).toEqual([
      ['no-known-good-image', 'id-a-01', true],
      ['no-known-good-image', 'id-a-02', true],
    ]);
    const notRequired = planCampaign(spec({ verification: { requireRollbackImage: false } }), hosts, banks);
    expect(notRequired.ok && notRequired.plan.warnings.length).toBe(2);
  });

  it('warns about hosts the event store knows nothing about', () => {
    const result = planCampaign(spec(), hosts, { 'id-a-01': healthy, 'id-a-02': healthy, 'id-a-03': healthy });
    expect(result.ok && result.plan.warnings.map((w) => [w.kind, w.hostId])).toEqual([['bank-state-unknown', 'id-a-04']]);
  });

  it('plans nothing when every selected host is already on the target', () => {
    const banks = Object.fromEntries(hosts.map((h) => [h.id, { ...healthy, bootedBuild: TARGET }]));
    const result = planCampaign(spec({ strategy: { canary: 3 } }), hosts, banks);
    expect(result.ok && result.plan.waves).toEqual([]);
    expect(result.ok && result.plan.warnings.at(-1)?.kind).toBe('nothing-to-upgrade');
  });
});
