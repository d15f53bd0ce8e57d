import { describe, expect, it } from 'vitest';
import { BANK_EVENT_TYPES, bankEventDataSchemas, bankEventSchema, bankEventSchemas } from './events';

describe('bank event schemas', () => {
  it('list every event type once, with a schema for each', () => {
    expect(new Set(BANK_EVENT_TYPES).size).toBe(BANK_EVENT_TYPES.length);
    expect(Object.keys(bankEventSchemas)).toEqual(BANK_EVENT_TYPES);
    expect(Object.keys(bankEventDataSchemas)).toEqual(BANK_EVENT_TYPES);
  });

  it('accept a well-formed event and reject a malformed payload', () => {
    const staged = {
      type: 'ImageStaged',
      data: { bank: 1, build: '8.0.3', sha256: 'a'.repeat(64), updated: 4, replacedBuild: null, rollbackImageLost: false },
    };
    expect(bankEventSchema.parse(staged)).toEqual(staged);
    expect(bankEventSchema.safeParse({ ...staged, data: { ...staged.data, bank: 2 } }).success).toBe(false);
    expect(bankEventSchema.safeParse({ ...staged, data: { ...staged.data, sha256: 'nope' } }).success).toBe(false);
    expect(bankEventSchema.safeParse({ type: 'BankExploded', data: {} }).success).toBe(false);
  });
});
