import { describe, expect, it } from 'vitest';
import { formatSpecErrors, planCampaign, type CampaignPlan } from '../index';
import { fleet, spec } from '../../test/fixtures';

const ok = (result: ReturnType<typeof planCampaign>): CampaignPlan => {
  if (!result.ok) throw new Error(formatSpecErrors(result.errors));
  return result.plan;
};
const sizes = (plan: CampaignPlan) => plan.waves.map((wave) => wave.hostIds.length);

describe('planCampaign: waves', () => {
  it('sizes the canary and waves from counts and percentages of the hosts to upgrade', () => {
    const plan = ok(planCampaign(spec({ strategy: { canary: '10%', waves: [5, '25%', '100%'], failureBudget: '5%' } }), fleet({ a: 20, b: 20 })));
    // 40 hosts: canary 10% = 4, then 5, then 25% = 10, then the remaining 21.
    expect(sizes(plan)).toEqual([4, 5, 10, 21]);
    expect(plan.waves.map((w) => w.source)).toEqual(['strategy.canary', 'strategy.waves[0]', 'strategy.waves[1]', 'strategy.waves[2]']);
    expect(plan.failureBudget).toBe(2);
    expect(plan.warnings).toEqual([{ kind: 'bank-state-unknown', message: 'no bank states given: rollback-image losses were not checked' }]);
  });

  it('puts every selected host in exactly one wave', () => {
    const plan = ok(planCampaign(spec({ strategy: { canary: 3, waves: ['33%', '33%', '34%'] } }), fleet({ a: 7, b: 5, c: 1 })));
    const ids = plan.waves.flatMap((wave) => wave.hostIds);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(plan.hosts.filter((h) => h.cluster !== 'c').map((h) => h.id).sort());
  });

  it('defaults to a one-host canary and one wave with the rest', () => {
    const plan = ok(planCampaign(spec(), fleet({ a: 3, b: 2 })));
    expect(sizes(plan)).toEqual([1, 4]);
    expect(plan.waves[0]).toEqual({ index: 0, kind: 'canary', source: 'strategy.canary', hostIds: ['id-a-01'] });
  });

  it('spreads each wave across clusters, listed by cluster then name', () => {
    const plan = ok(planCampaign(spec({ strategy: { canary: 1, waves: [4, '100%'] } }), fleet({ b: 3, a: 3 })));
    expect(plan.hosts.map((h) => h.name)).toEqual(['a-01', 'a-02', 'a-03', 'b-01', 'b-02', 'b-03']);
    expect(plan.waves.map((w) => w.hostIds)).toEqual([['id-a-01'], ['id-a-02', 'id-a-03', 'id-b-01', 'id-b-02'], ['id-b-03']]);
  });

  it('lets the last wave take whatever remains, and says so when it grows', () => {
    const plan = ok(planCampaign(spec({ strategy: { waves: [2, 3] } }), fleet({ a: 5, b: 5 })));
    expect(sizes(plan)).toEqual([1, 2, 7]);
    expect(plan.warnings.map((w) => w.kind)).toContain('last-wave-grows');
  });

  it('drops waves that get no host, with a warning', () => {
    const plan = ok(planCampaign(spec({ strategy: { canary: 2, waves: ['100%', 5] } }), fleet({ a: 2, b: 1 })));
    expect(sizes(plan)).toEqual([2, 1]);
    expect(plan.warnings.find((w) => w.kind === 'waves-unused')?.message).toMatch(/^strategy\.waves\[1\] \(5\) gets no hosts/);
  });

  it('refuses a canary larger than the fleet', () => {
    const result = planCampaign(spec({ strategy: { canary: 5 } }), fleet({ a: 2, b: 1 }));
    expect(result.ok === false && formatSpecErrors(result.errors)).toBe('strategy.canary: a canary of 5 hosts is larger than the 3 hosts to upgrade');
  });

  it('is deterministic: same input, same plan, whatever the inventory order', () => {
    const hosts = fleet({ a: 6, b: 4, c: 5 });
    const s = spec({ hosts: { clusters: ['a', 'b', 'c'] }, strategy: { canary: '10%', waves: [3, '50%', '100%'] } });
    const first = planCampaign(s, hosts);
    expect(planCampaign(s, hosts)).toEqual(first);
    expect(planCampaign(s, [...hosts].reverse())).toEqual(first);
  });
});

describe('planCampaign: selection', () => {
  const hosts = fleet({ a: 3, b: 3, c: 2 }, (name) => ({ tier: name.endsWith('1') ? 'gold' : 'silver' }));

  it('selects by names or ids', () => {
    const plan = ok(planCampaign(spec({ hosts: { names: ['b-02', 'id-a-03'] } }), hosts));
    expect(plan.hosts.map((h) => h.id)).toEqual(['id-a-03', 'id-b-02']);
  });

  it('selects by clusters and labels together (every selector must match)', () => {
    const plan = ok(planCampaign(spec({ hosts: { clusters: ['a', 'c'], labels: { tier: 'gold' } } }), hosts));
    expect(plan.hosts.map((h) => h.name)).toEqual(['a-01', 'c-01']);
  });

  it('selects by labels alone', () => {
    expect(ok(planCampaign(spec({ hosts: { labels: { tier: 'silver' } } }), hosts)).hosts).toHaveLength(5);
  });

  it('names unknown hosts and clusters, and what to do, all at once', () => {
    const result = planCampaign(
      spec({ hosts: { names: ['a-01', 'esx-99', 'b-01'], clusters: ['a', 'zz'] }, verification: { waiveRollbackImage: ['nope'] } }),
      hosts,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.path)).toEqual(['verification.waiveRollbackImage[0]', 'hosts.clusters[1]', 'hosts.names[1]', 'hosts.names[2]']);
    const text = formatSpecErrors(result.errors);
    expect(text).toContain('hosts.clusters[1]: no host in cluster "zz"; known clusters: a, b, c');
    expect(text).toContain('hosts.names[1]: no host named "esx-99" (nor with that id) in the inventory; check the spelling, register the host first, or remove it from the list');
    expect(text).toContain('hosts.names[2]: b-01 is in cluster "b", which hosts.clusters does not list; remove it from hosts.names or widen the other selectors');
  });

  it('refuses an empty selection, saying what was asked', () => {
    const result = planCampaign(spec({ hosts: { labels: { tier: 'platinum' } } }), hosts);
    expect(result.ok === false && formatSpecErrors(result.errors)).toBe('hosts: no host in the inventory (8 hosts) matches labels tier=platinum');
  });

  it('refuses ambiguous names and duplicate ids in the inventory', () => {
    const twins = [...fleet({ a: 1 }), { id: 'other', name: 'a-01', cluster: 'b', labels: {} }, { id: 'other', name: 'x', cluster: 'b', labels: {} }];
    const result = planCampaign(spec({ hosts: { names: ['a-01'] } }), twins);
    expect(result.ok === false && result.errors.map((e) => e.path)).toEqual(['inventory[2].id', 'hosts.names[0]']);
  });
});
