import { describe, expect, it } from 'vitest';
import { formatSpecErrors, parseCampaignSpec, validateCampaignSpec } from '../index';
import { SHA, TARGET } from '../../test/fixtures';

const yamlSpec = `# yaml-language-server: $schema=../campaign-spec.schema.json
name: esxi-803-rollout
description: Move the fleet to 8.0 U3
target:
  build: ${TARGET}
  payload: /images/VMware-ESXi-8.0U3-24022510.zip
  sha256: ${SHA.toUpperCase()}
hosts:
  clusters: [prod-a, prod-b]
  labels: { tier: gold, rack: 12 }
strategy:
  canary: "10%"
  waves: [5, "25%", "100%"]
  maxInFlight: 4
  maxPerCluster: 2
  failureBudget: "5%"
  pauseBetweenWaves: 15m
  timeouts: { reboot: 25m }
verification:
  checks:
    - { name: vmkernel, type: health }
    - { name: vsan, type: health }
  waiveRollbackImage: [esx-07]
`;

describe('parseCampaignSpec', () => {
  it('reads a YAML spec: defaults filled in, durations in ms, hex lower-cased', () => {
    const result = parseCampaignSpec(yamlSpec);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.spec.target.sha256).toBe(SHA);
    expect(result.spec.hosts.labels).toEqual({ tier: 'gold', rack: '12' });
    expect(result.spec.strategy).toEqual({
      canary: { kind: 'percent', percent: 10 },
      waves: [{ kind: 'count', count: 5 }, { kind: 'percent', percent: 25 }, { kind: 'percent', percent: 100 }],
      maxInFlight: 4,
      maxPerCluster: 2,
      failureBudget: { kind: 'percent', percent: 5 },
      pauseBetweenWaves: { kind: 'timed', ms: 900_000 },
      timeouts: { stageMs: 1_800_000, rebootMs: 1_500_000, verifyMs: 600_000, barrierMs: 3_600_000 },
      maintenance: { timeoutMs: 1_800_000, vsanMode: 'ensureObjectAccessibility' },
      rampUp: null,
    });
    expect({ windows: result.spec.windows, gates: result.spec.gates }).toEqual({ windows: [], gates: [] });
    expect(result.spec.verification).toEqual({
      checks: [{ name: 'vmkernel', type: 'health' }, { name: 'vsan', type: 'health' }],
      requireRollbackImage: true,
      waiveRollbackImage: ['esx-07'],
    });
  });

  it('reads the same spec as JSON (format given or detected), $schema allowed', () => {
    const json = JSON.stringify({
      $schema: './campaign-spec.schema.json',
      name: 'json-spec',
      target: { build: TARGET, payload: '/images/x.zip', sha256: SHA },
      hosts: { names: ['esx-01'] },
      strategy: { pauseBetweenWaves: 'none' },
    });
    for (const result of [parseCampaignSpec(json, 'json'), parseCampaignSpec(json)]) {
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.spec).not.toHaveProperty('$schema');
      expect(result.spec.strategy.canary).toEqual({ kind: 'count', count: 1 });
      expect(result.spec.strategy.waves).toEqual([{ kind: 'percent', percent: 100 }]);
      expect(result.spec.strategy.pauseBetweenWaves).toEqual({ kind: 'none' });
      expect(result.spec.strategy.failureBudget).toEqual({ kind: 'count', count: 0 });
    }
  });

  it('reports every problem at once, each with its path and line', () => {
    const result = parseCampaignSpec(`name: Not A Slug
target:
  build: 8.0.3
  payload: /images/x.zip
hosts: {}
strategy:
  canary: 0
  waves: [5, "25%", "140%", "half", 2.5]
  maxInflight: 3
  pauseBetweenWaves: soon
  timeouts: { reboot: 10 }
verification:
  checks: [{ name: vmkernel, type: health }, { name: ping, type: icmp }]
`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const text = formatSpecErrors(result.errors);
    expect(text).toContain('strategy.waves[2]: 140% is more than 100% (line 8, column 21)');
    expect(result.errors.map((e) => `${e.path}: ${e.message}`)).toEqual([
      'name: name must be lower-case letters, digits and dashes (at most 63), e.g. "esxi-803-rollout"',
      'target.build: expected an ESXi build like "8.0.3-0.0.24022510"',
      'target.sha256: is required',
      'hosts: select hosts with at least one of names, clusters or labels',
      'strategy.canary: 0 is less than 1',
      'strategy.waves[2]: 140% is more than 100%',
      'strategy.waves[3]: "half" is not a host count like 5 or a percentage like "25%"',
      'strategy.waves[4]: 2.5 is not a whole number of hosts',
      'strategy.pauseBetweenWaves: "soon" is not "none", "manual" or a duration like "5m"',
      'strategy.timeouts.reboot: expected a duration like "30s", "5m" or "1h30m", got number',
      'strategy.maxInflight: unknown field (did you mean maxInFlight?)',
      'verification.checks[1].type: unknown check type; known types: health',
    ]);
  });

  it('reports YAML syntax errors with line and column, and stops there', () => {
    const result = parseCampaignSpec('name: x\nhosts:\n  names: [a, b\ntarget: {}\n');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toMatchObject({ path: '', line: 4, column: 1 });
    expect(formatSpecErrors(result.errors)).toMatch(/^line 4, column 1: Flow sequence in block collection/);
  });

  it('reports duplicate YAML keys', () => {
    const result = parseCampaignSpec('name: x\nname: y\n');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(formatSpecErrors(result.errors)).toMatch(/^line 2, column 1: Map keys must be unique/);
  });

  it('reports JSON syntax errors', () => {
    const result = parseCampaignSpec('{"name": "x",\n "target": }', 'json');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]?.message).toMatch(/^invalid JSON: /);
  });

  it('validates already-parsed objects, listing duplicates and empty documents', () => {
    const duplicate = validateCampaignSpec({
      name: 'dup',
      target: { build: TARGET, payload: 'x', sha256: SHA },
      hosts: { names: ['esx-01', 'esx-01'] },
      verification: { checks: [{ type: 'health', name: 'vmkernel' }, { type: 'health', name: 'vmkernel' }] },
    });
    expect(duplicate.ok === false && duplicate.errors.map((e) => e.path)).toEqual(['hosts.names[1]', 'verification.checks[1].name']);
    const empty = validateCampaignSpec(null);
    expect(empty.ok === false && formatSpecErrors(empty.errors)).toBe('(spec): expected a map of fields, got null');
  });
});
