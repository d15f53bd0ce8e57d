import { describe, expect, it } from 'vitest';
import { formatPlan, planCampaign, upcomingWindows, validateCampaignSpec, windowAt } from '../index';
import { fleet, SHA, spec, TARGET } from '../../test/fixtures';

/** Errors of a spec with these top-level fields (windows, gates) added. */
const errorsOf = (fields: Record<string, unknown>) => {
  const result = validateCampaignSpec({ name: 'p', target: { build: TARGET, payload: '/i.zip', sha256: SHA }, hosts: { clusters: ['a'] }, ...fields });
  return result.ok ? [] : result.errors.map((e) => `${e.path}: ${e.message}`);
};
const BERLIN = { cron: '0 22 * * 1-5', durationMs: 6 * 3_600_000, timezone: 'Europe/Berlin' };
const GATE = { name: 'error-rate', prometheus: { url: 'http://prometheus:9090', query: 'sum(rate(errors_total[5m]))' }, expect: '< 0.01', for: '5m', onFail: 'pause' };

describe('spec: windows and gates, every error at its path', () => {
  it('reads windows and gates with their defaults', () => {
    const s = spec({ windows: [{ cron: '0 22 * * 1-5', duration: '6h', timezone: 'Europe/Berlin' }, { cron: '0 2 * * 6', duration: '4h' }], gates: [GATE, { ...GATE, name: 'latency', expect: '>= 0.99', onFail: undefined }] });
    expect(s.windows).toEqual([BERLIN, { cron: '0 2 * * 6', durationMs: 4 * 3_600_000, timezone: 'UTC' }]);
    expect(s.gates).toEqual([
      { name: 'error-rate', prometheus: GATE.prometheus, expect: { op: '<', value: 0.01 }, forMs: 300_000, onFail: 'pause' },
      { name: 'latency', prometheus: GATE.prometheus, expect: { op: '>=', value: 0.99 }, forMs: 300_000, onFail: 'halt' },
    ]);
  });

  it('reports each bad field at its path', () => {
    expect(
      errorsOf({
        windows: [{ cron: '61 * * * *', duration: '6h' }, { cron: '0 22 * * *', duration: '0s', timezone: 'Mars/Olympus' }, { cron: '0 1 * * *', duration: '1h', every: 2 }],
        gates: [
          { ...GATE, prometheus: { url: 'ftp://x', query: '' }, expect: 'below 1', for: 'soon', onFail: 'stop' },
          GATE,
          GATE,
        ],
      }),
    ).toEqual([
      'windows[0].cron: "61 * * * *" is not a cron pattern (Invalid value for minute: 61); e.g. "0 22 * * 1-5" (minute hour day month weekday, optional seconds first)',
      'windows[1].duration: "0s" must be longer than zero',
      'windows[2].every: unknown field',
      'gates[0].prometheus.url: expected an http(s) URL, e.g. "http://prometheus:9090" (its /api/v1/query is asked)',
      'gates[0].prometheus.query: give a PromQL query',
      'gates[0].expect: "below 1" is not a comparison; write e.g. "< 0.01", ">= 0.99" or "== 0"',
      'gates[0].for: "soon" is not a duration; write e.g. "30s", "5m" or "1h30m"',
      'gates[0].onFail: expected "halt" (no host starts any more) or "pause" (an operator resumes)',
    ]);
    expect(errorsOf({ gates: [GATE, GATE] })).toEqual(['gates[1].name: "error-rate" is listed twice']);
    expect(errorsOf({ windows: [{ cron: '0 22 * * *', duration: '1h', timezone: 'Mars/Olympus' }] })).toEqual([
      'windows[0].timezone: "Mars/Olympus" is not an IANA timezone, e.g. "Europe/Berlin" or "UTC"',
    ]);
    expect(errorsOf({ windows: [], gates: [] })).toEqual(['windows: list at least one window (or leave the field out)', 'gates: list at least one gate (or leave the field out)']);
  });
});

describe('windows: open or closed at a time, and the next ones', () => {
  // Monday 30 November 2026; Berlin is UTC+1 in winter, so 22:00 there is 21:00 UTC.
  const monday = (utc: string) => Date.parse(`2026-11-30T${utc}Z`);
  it('is closed before the window, open inside it until it closes, and merges overlapping windows', () => {
    expect(windowAt([BERLIN], monday('12:00:00'))).toEqual({ open: false, opensAt: '2026-11-30T21:00:00.000Z' });
    expect(windowAt([BERLIN], monday('21:00:00'))).toEqual({ open: true, closesAt: '2026-12-01T03:00:00.000Z' });
    expect(windowAt([BERLIN], Date.parse('2026-12-01T03:00:00Z'))).toEqual({ open: false, opensAt: '2026-12-01T21:00:00.000Z' });
    // Friday's window runs into Saturday; the next opens on Monday.
    expect(windowAt([BERLIN], Date.parse('2026-12-05T02:00:00Z'))).toEqual({ open: true, closesAt: '2026-12-05T03:00:00.000Z' });
    expect(windowAt([BERLIN], Date.parse('2026-12-05T04:00:00Z'))).toEqual({ open: false, opensAt: '2026-12-07T21:00:00.000Z' });
    const hourly = (minute: number) => ({ cron: `${minute} * * * *`, durationMs: 30 * 60_000, timezone: 'UTC' });
    expect(windowAt([hourly(0), hourly(20)], monday('12:25:00'))).toEqual({ open: true, closesAt: '2026-11-30T12:50:00.000Z' });
  });
  it('lists the next windows, earliest first', () => {
    expect(upcomingWindows([BERLIN], monday('12:00:00'), 2).map((w) => new Date(w.opensAt).toISOString())).toEqual(['2026-11-30T21:00:00.000Z', '2026-12-01T21:00:00.000Z']);
  });
});

describe('planCampaign and formatPlan: windows and gates', () => {
  it('shows the windows, the next ones from now, and each gate', () => {
    const s = spec({ hosts: { clusters: ['a'] }, strategy: { pauseBetweenWaves: 'none' }, windows: [{ cron: '0 22 * * 1-5', duration: '6h', timezone: 'Europe/Berlin' }], gates: [GATE] });
    const planned = planCampaign(s, fleet({ a: 2 }), undefined, Date.parse('2026-11-30T12:00:00Z'));
    if (!planned.ok) throw new Error(JSON.stringify(planned.errors));
    expect(planned.plan.nextWindows).toEqual([
      { opensAt: '2026-11-30T21:00:00.000Z', closesAt: '2026-12-01T03:00:00.000Z' },
      { opensAt: '2026-12-01T21:00:00.000Z', closesAt: '2026-12-02T03:00:00.000Z' },
      { opensAt: '2026-12-02T21:00:00.000Z', closesAt: '2026-12-03T03:00:00.000Z' },
    ]);
    const text = formatPlan(planned.plan);
    expect(text).toContain('Window: opens at "0 22 * * 1-5" (Europe/Berlin) for 6h; hosts start only inside a window, hosts in flight when it closes finish.');
    expect(text).toContain('Next windows: 2026-11-30T21:00:00.000Z – 2026-12-01T03:00:00.000Z, 2026-12-01T21:00:00.000Z – 2026-12-02T03:00:00.000Z,');
    expect(text).toContain(
      'Gate error-rate: sum(rate(errors_total[5m])) at http://prometheus:9090 must be < 0.01 for 5m after the canary and after each wave before the next starts; else the campaign pauses until an operator resumes.',
    );
  });
});

describe('formatPlan: a spec that uses every policy field', () => {
  it('shows every policy', () => {
    const s = spec({
      target: { build: TARGET, payload: '/i.zip', sha256: SHA, signature: `${'A'.repeat(85)}w==`, allowDowngrade: { reason: 'INC-1' } },
      hosts: { clusters: ['a'] },
      strategy: { rampUp: { start: 1, factor: 2, max: 4 } },
      windows: [{ cron: '0 22 * * 1-5', duration: '6h', timezone: 'Europe/Berlin' }],
      gates: [GATE],
    });
    const planned = planCampaign(s, fleet({ a: 4 }), undefined, Date.parse('2026-11-30T12:00:00Z'));
    if (!planned.ok) throw new Error(JSON.stringify(planned.errors));
    const policies = formatPlan(planned.plan)
      .split('\n')
      .map((line) => line.split(':')[0])
      .filter((head) => /^(Image signature|Downgrade allowed|Ramp-up|Window|Next windows|Gate .*)$/.test(head ?? ''));
    expect(policies).toEqual(['Image signature', 'Downgrade allowed', 'Ramp-up', 'Window', 'Next windows', 'Gate error-rate']);
  });
});
