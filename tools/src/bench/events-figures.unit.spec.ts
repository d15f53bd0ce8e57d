import { describe, expect, it } from 'vitest';
import { packagesToInstall, withDatabase, databaseOf } from './events-emmett';
import { aheadLine, median, medianRatio, spreadCell } from './events-figures';

describe('the figures of bench:events', () => {
  const runs = [
    { store: 1000, Emmett: 800 },
    { store: 600, Emmett: 1200 },
    { store: 900, Emmett: 600 },
  ];

  it('takes the median of odd and even counts (the upper middle one)', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(3);
    expect(() => median([])).toThrow();
  });

  it('shows a path as its median with the lowest–highest', () => {
    expect(spreadCell(runs, 'store')).toBe('900 (600–1000)');
  });

  it('takes a ratio as the median of the per-run ratios, not the ratio of the medians', () => {
    // Per run: 1.25, 0.5, 1.5; the medians would give 900 / 800 = 1.125.
    expect(medianRatio(runs, 'store', 'Emmett')).toBe(1.25);
    expect(() => medianRatio(runs, 'store', 'plain pg')).toThrow(/plain pg/);
  });

  it('counts the cases where the store is ahead of a peer: a ratio above 1, a tie is not ahead', () => {
    expect(aheadLine('Emmett', [1.25, 0.99, 1, 3])).toBe('ahead of Emmett: 2 of 4 cases');
    expect(aheadLine('Emmett', [])).toBe('ahead of Emmett: 0 of 0 cases');
  });
});

describe("Emmett's install and database", () => {
  it('installs when a pinned package is missing or at another version', () => {
    const wanted = { '@event-driven-io/emmett': '0.42.0', pg: '8.16.3' };
    expect(packagesToInstall(wanted, (name) => ({ '@event-driven-io/emmett': '0.42.0', pg: '8.16.3' })[name])).toEqual([]);
    expect(packagesToInstall(wanted, (name) => (name === 'pg' ? '8.11.0' : '0.42.0'))).toEqual(['pg@8.16.3']);
    expect(packagesToInstall(wanted, () => undefined)).toEqual(['@event-driven-io/emmett@0.42.0', 'pg@8.16.3']);
  });

  it('names another database on the same server, keeping credentials and parameters', () => {
    const url = 'postgresql://postgres:p%40ss@127.0.0.1:5433/bankswitch?sslmode=disable';
    expect(databaseOf(url)).toBe('bankswitch');
    expect(withDatabase(url, 'bankswitch_bench_emmett')).toBe('postgresql://postgres:p%40ss@127.0.0.1:5433/bankswitch_bench_emmett?sslmode=disable');
  });
});
