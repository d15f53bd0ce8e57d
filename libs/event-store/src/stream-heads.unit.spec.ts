import { describe, expect, test } from 'vitest';
import { createStreamHeads, EMPTY_STREAM_HEAD } from './stream-heads';
import { preparedName } from './prepared-statements';

const head = (version: number) => ({ version, digest: String(version).repeat(64).slice(0, 64), recordedAtMicros: 1_000n * BigInt(version) });

describe('stream heads', () => {
  test('a known head is used only when the writer expects it (or any version)', () => {
    const heads = createStreamHeads();
    heads.remember('host-a', head(3));
    expect(heads.headFor('host-a', 3)).toEqual(head(3));
    expect(heads.headFor('host-a', null)).toEqual(head(3));
    // The writer read something newer (another process appended), or is stale: ask the database.
    expect(heads.headFor('host-a', 5)).toBeUndefined();
    expect(heads.headFor('host-a', 0)).toBeUndefined();
  });

  test('an unknown stream: only a writer expecting it empty names its head', () => {
    const heads = createStreamHeads();
    expect(heads.headFor('host-b', 0)).toEqual(EMPTY_STREAM_HEAD);
    expect(heads.headFor('host-b', 2)).toBeUndefined();
    expect(heads.headFor('host-b', null)).toBeUndefined();
  });

  test('forgotten heads, and the oldest known forgotten first past the capacity', () => {
    const heads = createStreamHeads(2);
    heads.remember('a', head(1));
    heads.remember('b', head(1));
    heads.remember('a', head(2)); // a is now the newest
    heads.remember('c', head(1));
    expect(heads.headFor('b', null)).toBeUndefined();
    expect(heads.headFor('a', null)).toEqual(head(2));
    heads.forget('a');
    expect(heads.headFor('a', null)).toBeUndefined();
    expect(heads.headFor('c', 1)).toEqual(head(1));
  });
});

describe('prepared statement names', () => {
  test('a statement text asks for a name with a leading marker, and only then', () => {
    expect(preparedName('/* prepare:bankswitch_append_many */ SELECT 1')).toBe('bankswitch_append_many');
    expect(preparedName('\n   /* prepare:x_1 */\n INSERT')).toBe('x_1');
    expect(preparedName('SELECT 1 /* prepare:late */')).toBeUndefined();
    expect(preparedName('/* prepare:Bad-Name */ SELECT 1')).toBeUndefined();
  });
});
