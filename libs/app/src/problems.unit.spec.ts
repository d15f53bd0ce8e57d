// A refusal never echoes a whole input: the first problems, then how many more; long
// values clipped. Both front doors (CLI, API) show what AppError holds.
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from './errors';
import { capProblems, clip, listProblems } from './problems';

const many = (n: number) => Array.from({ length: n }, (_, i) => ({ path: `[${i}].id`, message: `bad id ${i}` }));

describe('bounded refusals', () => {
  it('lists the first 20 problems, then one entry saying how many more', () => {
    const error = new InvalidInputError('the inventory has 3,000 problems', many(3_000));
    expect(error.details).toHaveLength(21);
    expect(error.details[19]).toEqual({ path: '[19].id', message: 'bad id 19' });
    expect(error.details[20]).toEqual({ path: '', message: 'and 2,980 more problems, not listed: fix these first, then try again' });
    // A list already cut (an API client rebuilding the error from an answer) stays as it is.
    expect(capProblems(error.details)).toEqual(error.details);
  });

  it('clips long values and messages', () => {
    expect(clip('x'.repeat(1_000))).toBe(`${'x'.repeat(200)}… (1,000 characters in all)`);
    const error = new InvalidInputError('y'.repeat(100_000), [{ path: 'z'.repeat(5_000), message: 'm' }]);
    expect(error.message.length).toBeLessThan(8_100);
    expect(error.details[0]!.path).toMatch(/… \(5,000 characters in all\)$/);
  });

  it('writes a list of problems as text with the same cut', () => {
    const text = listProblems(many(25), (shown) => shown.map((p) => p.message).join('\n'));
    expect(text.split('\n')).toHaveLength(21);
    expect(text).toMatch(/\nand 5 more problems, not listed/);
    expect(listProblems(many(2), (shown) => shown.map((p) => p.message).join(', '))).toBe('bad id 0, bad id 1');
  });
});
