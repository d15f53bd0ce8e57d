// Every free-text field and list of a spec is bounded: a spec comes over the API from
// anyone with a token, and its values are echoed in plans, errors and events.
import { describe, expect, it } from 'vitest';
import { validateCampaignSpec } from '../index';
import { SHA, TARGET } from '../../test/fixtures';

const spec = (over: Record<string, unknown>) => ({ name: 'bounded', target: { build: TARGET, payload: '/images/x.zip', sha256: SHA }, hosts: { clusters: ['a'] }, ...over });
const problems = (input: unknown) => {
  const result = validateCampaignSpec(input);
  return result.ok ? [] : result.errors.map((e) => `${e.path}: ${e.message}`);
};

describe('spec bounds', () => {
  it('refuses over-long text, saying the limit', () => {
    expect(problems(spec({ description: 'x'.repeat(2_001) }))).toEqual(['description: at most 2,000 characters']);
    expect(problems(spec({ target: { build: TARGET, payload: `/${'p'.repeat(5_000)}`, sha256: SHA } }))).toEqual(['target.payload: at most 4,096 characters']);
    expect(problems(spec({ hosts: { names: ['h'.repeat(254)] } }))).toEqual(['hosts.names[0]: at most 253 characters']);
    expect(problems(spec({ strategy: { pauseBetweenWaves: '1'.repeat(65) } }))).toEqual(['strategy.pauseBetweenWaves: at most 64 characters']);
  });

  it('refuses over-long lists and label maps', () => {
    expect(problems(spec({ hosts: { names: Array.from({ length: 10_001 }, (_, i) => `h${i}`) } }))).toEqual(['hosts.names: at most 10,000 entries']);
    expect(problems(spec({ strategy: { waves: Array.from({ length: 101 }, () => 1) } }))).toEqual(['strategy.waves: at most 100 entries']);
    const labels = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, 'v']));
    expect(problems(spec({ hosts: { labels } }))).toEqual(['hosts.labels: 65 labels; at most 64']);
    expect(problems(spec({ hosts: { labels: { ['k'.repeat(64)]: 'v', tier: 'g'.repeat(254) } } }))).toEqual([
      `hosts.labels.${'k'.repeat(64)}: a label key has at most 63 characters (this one has 64)`,
      'hosts.labels.tier: a label value has at most 253 characters (this one has 254)',
    ]);
  });

  it('accepts values at the limits', () => {
    expect(problems(spec({ description: 'x'.repeat(2_000), hosts: { names: ['h'.repeat(253)], labels: { ['k'.repeat(63)]: 'v'.repeat(253) } } }))).toEqual([]);
  });
});
