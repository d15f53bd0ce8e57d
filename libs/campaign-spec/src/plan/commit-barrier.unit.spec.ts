import { describe, expect, it } from 'vitest';
import { campaignSpecJsonSchema, formatPlan, planCampaign, validateCampaignSpec } from '../index';
import { fleet, SHA, spec, TARGET } from '../../test/fixtures';

const base = { name: 'p', target: { build: TARGET, payload: '/i.zip', sha256: SHA }, hosts: { clusters: ['a', 'b'] } };
const errorsOf = (fields: Record<string, unknown>) => {
  const result = validateCampaignSpec({ ...base, ...fields });
  return result.ok ? [] : result.errors.map((e) => `${e.path}: ${e.message}`);
};
const planErrorsOf = (fields: Record<string, unknown>, clusters: Record<string, number>) => {
  const planned = planCampaign(spec({ ...base, ...fields }), fleet(clusters));
  return planned.ok ? [] : planned.errors.map((e) => `${e.path}: ${e.message}`);
};

describe('spec: commit, every error at its path', () => {
  it('defaults to host with a one-hour barrier timeout', () => {
    expect(spec({}).commit).toBe('host');
    expect(spec({}).strategy.timeouts.barrierMs).toBe(3_600_000);
    expect(spec({ commit: 'wave', strategy: { timeouts: { barrier: '15m' } } })).toMatchObject({ commit: 'wave', strategy: { timeouts: { barrierMs: 900_000 } } });
  });

  it('reports a bad scope and a bad barrier timeout at their paths', () => {
    expect(errorsOf({ commit: 'cluster', strategy: { timeouts: { barrier: 'never' } } })).toEqual([
      'strategy.timeouts.barrier: "never" is not a duration; write e.g. "30s", "5m" or "1h30m"',
      'commit: expected "host" (each host commits once it verified), "wave" (a wave\'s hosts commit together) or "campaign" (every host commits together)',
    ]);
  });

  it('refuses limits that cannot hold every host behind a barrier in flight at once', () => {
    // 2 + 2 hosts: canary 1, then one wave of 3.
    expect(planErrorsOf({ commit: 'wave', strategy: { maxInFlight: 2, maxPerCluster: 1, pauseBetweenWaves: 'none' } }, { a: 2, b: 2 })).toEqual([
      "strategy.maxInFlight: commit: wave holds a wave's hosts in flight until all of them verified, and wave 1 has 3 hosts, more than maxInFlight (2): raise it to at least 3, make the waves smaller, or use commit: host",
      "strategy.maxPerCluster: commit: wave holds a wave's hosts in flight until all of them verified, and wave 1 has 2 hosts in cluster b, more than maxPerCluster (1): raise it to at least 2, or use commit: host",
    ]);
    expect(planErrorsOf({ commit: 'campaign', strategy: { maxInFlight: 3 } }, { a: 2, b: 2 })).toEqual([
      'strategy.maxInFlight: commit: campaign holds every host in flight until all of them verified, and the campaign has 4 hosts, more than maxInFlight (3): raise it to at least 4, or use commit: wave or host',
    ]);
    expect(planErrorsOf({ commit: 'wave', strategy: { maxInFlight: 3 } }, { a: 2, b: 2 })).toEqual([]);
    expect(planErrorsOf({ commit: 'host', strategy: { maxInFlight: 1 } }, { a: 2, b: 2 })).toEqual([]);
  });

  it('is published in the JSON Schema', () => {
    type Node = { properties: Record<string, Node>; enum?: string[]; default?: unknown };
    const schema = campaignSpecJsonSchema() as Node;
    expect(schema.properties['commit']).toMatchObject({ enum: ['host', 'wave', 'campaign'], default: 'host' });
    expect(schema.properties['strategy']?.properties['timeouts']?.properties['barrier']).toMatchObject({ default: '1h' });
  });
});

describe('planCampaign and formatPlan: the commit barrier', () => {
  it('names the hosts behind each barrier of a wave barrier: they are rolled back together', () => {
    const planned = planCampaign(spec({ hosts: { clusters: ['a'] }, commit: 'wave', strategy: { canary: 1, waves: [2, '100%'], maxInFlight: 2, pauseBetweenWaves: 'none', timeouts: { barrier: '30m' } } }), fleet({ a: 5 }));
    if (!planned.ok) throw new Error(JSON.stringify(planned.errors));
    expect(planned.plan.commit).toEqual({ scope: 'wave', timeoutMs: 1_800_000 });
    const text = formatPlan(planned.plan).split('\n');
    const at = text.findIndex((l) => l.startsWith('Commit barrier'));
    expect(text.slice(at, at + 4)).toEqual([
      "Commit barrier (commit: wave): each wave's hosts verify, then wait with the new image booted but not committed; once all of them verified they commit together. If one of them fails, or 30m after the first verified not all have, every one of them rolls back to its previous image. Behind each barrier, the hosts committed or rolled back together:",
      '  wave 0 (canary, 1 host): a-01',
      '  wave 1 (2 hosts): a-02, a-03',
      '  wave 2 (2 hosts): a-04, a-05',
    ]);
  });

  it('puts every host behind one barrier with commit: campaign, and shows nothing with commit: host', () => {
    const planned = planCampaign(spec({ hosts: { clusters: ['a'] }, commit: 'campaign', strategy: { maxInFlight: 3 } }), fleet({ a: 3 }));
    if (!planned.ok) throw new Error(JSON.stringify(planned.errors));
    expect(formatPlan(planned.plan)).toContain('  the campaign (3 hosts): a-01, a-02, a-03');
    const plain = planCampaign(spec({ hosts: { clusters: ['a'] } }), fleet({ a: 3 }));
    if (!plain.ok) throw new Error(JSON.stringify(plain.errors));
    expect(formatPlan(plain.plan)).not.toContain('barrier');
  });
});
