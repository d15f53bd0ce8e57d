// Every field of an imported host is bounded, and so is the number of hosts per import.
import { describe, expect, it } from 'vitest';
import type { InvalidInputError } from './errors';
import { parseInventory } from './inventory';

const host = (over: Record<string, unknown> = {}) => ({ id: 'esx01', name: 'esx01.example.com', address: 'http://10.0.0.5:8443', cluster: 'prod-a', ...over });
const refusal = (input: unknown): InvalidInputError => {
  try {
    parseInventory(input);
  } catch (error) {
    return error as InvalidInputError;
  }
  throw new Error('the inventory was accepted');
};
const problems = (input: unknown) => refusal(input).details.map((d) => `${d.path}: ${d.message}`);

describe('inventory bounds', () => {
  it('refuses over-long ids, names, clusters and addresses, saying the limit', () => {
    expect(problems([host({ id: 'i'.repeat(129), name: 'n'.repeat(254), cluster: 'c'.repeat(129), address: `http://h/${'a'.repeat(2_100)}` })])).toEqual([
      '[0].id: at most 128 characters',
      '[0].name: at most 253 characters',
      '[0].address: at most 2,048 characters',
      '[0].cluster: at most 128 characters',
    ]);
  });

  it('refuses too many labels, and over-long label keys and values', () => {
    const labels = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, 'v']));
    expect(problems([host({ labels })])).toEqual(['[0].labels: 65 labels; at most 64 per host']);
    expect(problems([host({ labels: { ['k'.repeat(64)]: 'v', tier: 'g'.repeat(254) } })])).toEqual([
      '[0].labels.tier: at most 253 characters',
      `[0].labels.${'k'.repeat(64)}: a label key must have 1 to 63 characters (this one has 64)`,
    ]);
  });

  it('refuses an over-long esxi-ssh connection field', () => {
    const connection = { hostKey: `SHA256:${'a'.repeat(43)}`, passwordEnv: `P${'W'.repeat(300)}` };
    expect(problems([host({ driver: 'esxi-ssh', address: 'ssh://esx01:22', connection })])[0]).toMatch(/^\[0\]\.connection\.passwordEnv: /);
  });

  it('refuses more than 5,000 hosts at once before looking at any of them', () => {
    const error = refusal(Array.from({ length: 5_001 }, () => ({})));
    expect(error.message).toBe('the inventory lists 5,001 hosts; at most 5,000 are imported at once: split it into files of 5,000 hosts or fewer and import each');
    expect(error.details).toEqual([]);
  });

  it('accepts values at the limits', () => {
    const labels = Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`${'k'.repeat(60)}${i}`, 'v'.repeat(253)]));
    expect(parseInventory([host({ id: 'i'.repeat(128), name: 'n'.repeat(253), cluster: 'c'.repeat(128), labels })])).toHaveLength(1);
  });
});
