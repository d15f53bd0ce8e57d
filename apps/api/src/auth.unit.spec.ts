import { describe, expect, it } from 'vitest';
import { bearerToken, SignInThrottle } from './auth';

describe('bearerToken', () => {
  it('takes the token of a Bearer header and nothing else', () => {
    expect(bearerToken('Bearer bsw_abc')).toBe('bsw_abc');
    expect(bearerToken('bearer  bsw_abc ')).toBe('bsw_abc');
    expect(bearerToken('Basic dXNlcg==')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});

describe('SignInThrottle', () => {
  const options = { baseMs: 100, maxMs: 1_000, forgetAfterMs: 60_000, maxTracked: 2 };

  it('doubles the wait per failure from one address, up to the cap, and forgets after a success', () => {
    const throttle = new SignInThrottle(options);
    expect([1, 2, 3, 4, 5].map(() => throttle.failed('a', 0))).toEqual([100, 200, 400, 800, 1_000]);
    expect(throttle.failed('b', 0)).toBe(100);
    throttle.succeeded('a');
    expect(throttle.failed('a', 0)).toBe(100);
  });

  it('forgets an address after a quiet spell and tracks a bounded number of addresses', () => {
    const throttle = new SignInThrottle(options);
    throttle.failed('a', 0);
    expect(throttle.failed('a', 59_999)).toBe(200);
    expect(throttle.failed('a', 200_000)).toBe(100);
    throttle.failed('b', 200_001);
    throttle.failed('c', 200_002);
    // 'a' was the quietest of three with room for two: dropped, so it starts over.
    expect(throttle.failed('a', 200_003)).toBe(100);
  });
});
