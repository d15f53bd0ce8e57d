import { describe, expect, it } from 'vitest';
import { formatTime, isProblem, parseInstant, words } from './format';

describe('format', () => {
  it('reads instants as ISO 8601 or as local time, and refuses what is not one', () => {
    expect(parseInstant('2026-11-30T10:00:00.250Z')).toBe('2026-11-30T10:00:00.250Z');
    const local = new Date(2026, 10, 30, 14, 5, 2, 123);
    expect(parseInstant('2026-11-30 14:05:02.123')).toBe(local.toISOString());
    expect(formatTime(local.toISOString(), { ms: true })).toBe('2026-11-30 14:05:02.123');
    expect(parseInstant('yesterday-ish')).toBeUndefined();
    expect(parseInstant('  ')).toBeUndefined();
  });

  it('names statuses in words and tells failures from successes', () => {
    expect(words('needs-attention')).toBe('needs attention');
    expect(isProblem({ status: 'fell-back', cause: 'failed' })).toBe(true);
    expect(isProblem({ status: 'upgraded', cause: 'succeeded' })).toBe(false);
    expect(isProblem({ status: 'untouched', cause: 'already-on-target' })).toBe(false);
    expect(isProblem({ status: 'running' })).toBe(false);
  });
});
