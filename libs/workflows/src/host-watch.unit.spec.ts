import { describe, expect, it } from 'vitest';
import { chunked, silentHosts } from './host-watch';

const host = (hostId: string, status: string, attempts = 1) => ({ hostId, status, attempts }) as never;

describe('silentHosts: whom the watch looks up', () => {
  const state = { hosts: [host('a', 'running'), host('b', 'running', 2), host('c', 'upgraded'), host('d', 'running')] };
  it('running hosts not heard of for the interval, with their attempt', () => {
    const heard = new Map([
      ['a', 0],
      ['b', 1_000],
      ['c', 0],
      ['d', 9_500],
    ]);
    expect(silentHosts(state, heard, 10_000, 9_000)).toEqual([
      { hostId: 'a', attempt: 1 },
      { hostId: 'b', attempt: 2 },
    ]);
  });
  it('a host whose start is not confirmed yet (not heard of at all) is left alone', () => {
    expect(silentHosts(state, new Map([['a', 0]]), 10_000, 1_000)).toEqual([{ hostId: 'a', attempt: 1 }]);
  });
});

it('chunked: in order, the last chunk the rest', () => {
  expect(chunked([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  expect(chunked([], 50)).toEqual([]);
});
