import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration';

describe('durations', () => {
  it('parse to milliseconds, compound forms included', () => {
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('250ms')).toBe(250);
  });
  it('refuse what is not a duration', () => {
    for (const text of ['', '5', '5 m', 'm', '1d', '-5s', '1.5h']) expect(parseDuration(text)).toBeUndefined();
  });
  it('format back to the shortest readable form', () => {
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(90_250)).toBe('1m30s250ms');
  });
});
