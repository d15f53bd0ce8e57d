import { describe, expect, it } from 'vitest';
import { formatPlan, planCampaign, type HostBankState } from '../index';
import { fleet, OLD, OLDER, spec, TARGET } from '../../test/fixtures';

describe('formatPlan', () => {
  it('prints the waves by cluster and the warnings', () => {
    const hosts = fleet({ a: 3, b: 2 });
    const banks: Record<string, HostBankState> = Object.fromEntries(hosts.map((h) => [h.id, { bootedBuild: OLD, bootedBankCommitted: true, alternateBuild: null, alternateValid: false }]));
    banks['id-b-02'] = { bootedBuild: TARGET, bootedBankCommitted: true, alternateBuild: OLD, alternateValid: true };
    banks['id-a-02'] = { bootedBuild: OLD, bootedBankCommitted: true, alternateBuild: OLDER, alternateValid: true };
    const result = planCampaign(spec({ strategy: { waves: [2, '100%'], failureBudget: 1 } }), hosts, banks);
    expect(result.ok && formatPlan(result.plan)).toBe(
      [
        `Campaign esxi-803 → ${TARGET}`,
        '5 hosts selected: 4 to upgrade, 1 skipped.',
        'Failure budget: 1 host (the campaign halts when more fail).',
        'Wave 0 (canary, 1 host)',
        '  a: a-01',
        'Wave 1 (2 hosts)',
        '  a: a-02',
        '  b: b-01',
        'Wave 2 (1 host)',
        '  a: a-03',
        'Warnings (2):',
        `  - a-02: staging overwrites the alternate bank and loses ${OLDER}, today its only rollback image; afterwards the host can roll back only to ${OLD}. Leave the host out of this campaign if ${OLDER} must stay available`,
        `  - b-02: already boots ${TARGET}; skipped`,
      ].join('\n'),
    );
  });
});
