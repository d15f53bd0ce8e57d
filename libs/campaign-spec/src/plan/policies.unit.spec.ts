import { describe, expect, it } from 'vitest';
import { formatPlan, formatSpecErrors, planCampaign, validateCampaignSpec, type HostBankState } from '../index';
import { fleet, OLD, SHA, spec, TARGET } from '../../test/fixtures';

const SIGNATURE = `${'A'.repeat(85)}w==`; // 64 bytes of base64
const errorsOf = (input: Record<string, unknown>) => {
  const result = validateCampaignSpec({ name: 'p', target: { build: TARGET, payload: '/i.zip', sha256: SHA }, hosts: { clusters: ['a'] }, ...input });
  return result.ok ? [] : result.errors.map((e) => `${e.path}: ${e.message}`);
};
const on = (build: string): HostBankState => ({ bootedBuild: build, bootedBankCommitted: true, alternateBuild: null, alternateValid: false });

describe('spec: policy fields, every error at its path', () => {
  it('checks rampUp, the signature and the downgrade reason', () => {
    expect(
      errorsOf({
        target: { build: TARGET, payload: '/i.zip', sha256: SHA, signature: 'AAAA', allowDowngrade: { reason: ' ' } },
        strategy: { waves: [2], rampUp: { start: 4, factor: 1, max: 2 } },
      }),
    ).toEqual([
      'target.signature: decodes to 3 bytes; an Ed25519 signature has 64',
      'target.allowDowngrade.reason: say why the downgrade is needed',
      'strategy.rampUp.factor: must be more than 1 (each wave grows by this factor)',
      'strategy.rampUp.max: must be at least start (4)',
      'strategy.waves: rampUp sizes the waves as the campaign goes: give waves or rampUp, not both',
    ]);
    expect(errorsOf({ strategy: { rampUp: { start: 4, max: 2 } } })).toEqual([
      'strategy.rampUp.max: must be at least start (4)',
    ]);
    expect(errorsOf({ strategy: { waves: [2], rampUp: { max: 8 } } })).toEqual(['strategy.waves: rampUp sizes the waves as the campaign goes: give waves or rampUp, not both']);
    expect(errorsOf({ target: { build: TARGET, payload: '/i.zip', sha256: SHA, signature: 'not base64!' } })).toEqual([
      'target.signature: expected base64 (the 64-byte Ed25519 signature of the SHA-256 digest)',
    ]);
  });
  it('fills in the ramp-up defaults', () => {
    expect(spec({ strategy: { rampUp: { max: 50 } } }).strategy.rampUp).toEqual({ start: 1, factor: 2, max: 50 });
  });
});

describe('planCampaign: ramp-up', () => {
  it('plans the waves a campaign with no failure would run: start, ×factor, capped at max', () => {
    const result = planCampaign(spec({ strategy: { canary: 1, rampUp: { start: 1, factor: 2, max: 4 } } }), fleet({ a: 8, b: 6 }));
    if (!result.ok) throw new Error(formatSpecErrors(result.errors));
    expect(result.plan.waves.map((w) => w.hostIds.length)).toEqual([1, 1, 2, 4, 4, 2]);
    expect(result.plan.waves.slice(1).every((w) => w.source === 'strategy.rampUp')).toBe(true);
    expect(result.plan.rampUp).toEqual({ start: 1, factor: 2, max: 4 });
  });
});

describe('planCampaign: downgrade protection', () => {
  const hosts = fleet({ a: 3 });
  const banks = { 'id-a-01': on(TARGET), 'id-a-02': on(OLD), 'id-a-03': on(TARGET) };
  it('refuses a target older than what selected hosts run, at target.build, naming them', () => {
    const result = planCampaign(spec({ target: { build: OLD, payload: '/i.zip', sha256: SHA }, hosts: { clusters: ['a'] } }), hosts, banks);
    expect(result.ok === false && formatSpecErrors(result.errors)).toBe(
      `target.build: ${OLD} is older than the build 2 selected hosts run: a-01 (${TARGET}), a-03 (${TARGET}); a downgrade is refused unless the spec allows it: target.allowDowngrade: { reason: "…" }`,
    );
  });
  it('plans it when allowed, with the reason shown per host', () => {
    const allowed = spec({ target: { build: OLD, payload: '/i.zip', sha256: SHA, allowDowngrade: { reason: 'INC-42: U3 HBA driver' } }, hosts: { clusters: ['a'] } });
    const result = planCampaign(allowed, hosts, banks);
    expect(result.ok && result.plan.warnings.filter((w) => w.kind === 'downgrade').map((w) => w.message)).toEqual([
      `a-01: downgrade from ${TARGET} to ${OLD}, allowed: INC-42: U3 HBA driver`,
      `a-03: downgrade from ${TARGET} to ${OLD}, allowed: INC-42: U3 HBA driver`,
    ]);
  });
});

describe('formatPlan: a spec that uses every policy', () => {
  it('shows the signature check, the allowed downgrade and the ramp-up', () => {
    const s = spec({
      target: { build: OLD, payload: '/i.zip', sha256: SHA, signature: SIGNATURE, allowDowngrade: { reason: 'INC-42' } },
      hosts: { clusters: ['a'] },
      strategy: { rampUp: { start: 1, factor: 2, max: 50 } },
    });
    const result = planCampaign(s, fleet({ a: 4 }), { 'id-a-01': on(TARGET), 'id-a-02': on(TARGET), 'id-a-03': on(TARGET), 'id-a-04': on(TARGET) });
    if (!result.ok) throw new Error(formatSpecErrors(result.errors));
    expect(formatPlan(result.plan)).toBe(
      [
        `Campaign esxi-803 → ${OLD}`,
        '4 hosts selected: 4 to upgrade, 0 skipped.',
        'Failure budget: 0 hosts (the campaign halts when more fail).',
        "Image signature: AAAAAAAAAAAA…, checked against the worker's trusted keys before anything is staged (a bad one refuses the host, untouched).",
        'Downgrade allowed: INC-42 (recorded with each staged image).',
        'Ramp-up: waves grow from 1 host by ×2 while the last wave had no failure, up to 50 hosts; after a wave with a failure the next drops back to 1 host. The waves below assume no failure.',
        'Wave 0 (canary, 1 host)',
        '  a: a-01',
        'Wave 1 (1 host)',
        '  a: a-02',
        'Wave 2 (2 hosts, if no wave before it fails)',
        '  a: a-03, a-04',
        'Warnings (4):',
        ...['a-01', 'a-02', 'a-03', 'a-04'].map((h) => `  - ${h}: downgrade from ${TARGET} to ${OLD}, allowed: INC-42`),
      ].join('\n'),
    );
  });
});
