import { describe, expect, it } from 'vitest';
import { BUILD_802, BUILD_803, cfg, sha } from '../test/boot-cfg-fixtures';
import { compareBuilds, isDowngrade } from './build-order';
import type { BankCommand, ImageSignatureCheck } from './commands';
import { decide } from './decide';
import { bankEventSchema, type BankEvent } from './events';
import { evolveAll } from './evolve';
import { initialState } from './host-banks';
import { planUpgrade } from './plan-upgrade';

const observe = (build: string): BankEvent[] => {
  const decision = decide({ type: 'ObserveBanks', data: { bank0: cfg({ build, updated: 1 }), bank1: null, bootedBank: 0 } }, initialState());
  if (!decision.ok) throw new Error(decision.refusal.message);
  return [...decision.events];
};
const stage = (build: string, extra: { signature?: ImageSignatureCheck; allowDowngrade?: { reason: string } } = {}): BankCommand => ({
  type: 'StageImage',
  data: { build, sha256: sha('a'), ...extra },
});
const when = (given: readonly BankEvent[], command: BankCommand) => {
  const decision = decide(command, evolveAll(initialState(), given));
  if (decision.ok) for (const event of decision.events) expect(bankEventSchema.parse(event)).toEqual(event);
  return decision;
};
const refusal = (decision: ReturnType<typeof decide>) => (decision.ok ? undefined : decision.refusal);

describe('compareBuilds', () => {
  it('compares the version parts, then the build number', () => {
    expect(compareBuilds('8.0.2-0.0.22380479', '8.0.3-0.0.21000000')).toBe(-1);
    expect(compareBuilds('8.0.3-0.0.24022510', '8.0.3-0.0.24022510')).toBe(0);
    expect(compareBuilds('8.0.3-0.0.24022510', '8.0.3-0.0.24280767')).toBe(-1);
    expect(compareBuilds('8.0.10-0.0.1', '8.0.9-0.0.99999999')).toBe(1);
    expect(compareBuilds('7.0.3-0.0.99999999', '8.0.0-0.0.1')).toBe(-1);
    expect(compareBuilds('8.0.3-0.35.24280767', '8.0.3-0.0.24022510')).toBe(1);
    expect(compareBuilds('8.0.3', '8.0.2-0.0.1')).toBeNull();
  });
  it('calls a downgrade only an older target than a known running build', () => {
    expect(isDowngrade(BUILD_803, BUILD_802)).toBe(true);
    expect(isDowngrade(BUILD_802, BUILD_803)).toBe(false);
    expect(isDowngrade(null, BUILD_802)).toBe(false);
  });
});

describe('the bank decider: downgrade protection', () => {
  const on803 = observe(BUILD_803);
  it('refuses to stage a build older than the running one', () => {
    expect(refusal(when(on803, stage(BUILD_802)))).toEqual({
      code: 'DOWNGRADE_NOT_ALLOWED',
      message: `${BUILD_802} is older than the running ${BUILD_803}; a downgrade is staged only when the campaign allows it: target.allowDowngrade: { reason: "…" }`,
    });
  });
  it('stages it when allowed, and records the reason with the staged image', () => {
    const decision = when(on803, stage(BUILD_802, { allowDowngrade: { reason: 'U3 breaks the HBA driver (INC-4711)' } }));
    expect(decision.ok && decision.events[0]).toMatchObject({
      type: 'ImageStaged',
      data: { build: BUILD_802, downgrade: { fromBuild: BUILD_803, reason: 'U3 breaks the HBA driver (INC-4711)' } },
    });
  });
  it('records no downgrade for an upgrade, even when one would be allowed', () => {
    const decision = when(observe(BUILD_802), stage(BUILD_803, { allowDowngrade: { reason: 'just in case' } }));
    expect(decision.ok && decision.events[0]?.data).not.toHaveProperty('downgrade');
  });
  it('refuses in the precheck, before anything is written', () => {
    const state = evolveAll(initialState(), on803);
    const plan = planUpgrade(state, { build: BUILD_802, sha256: sha('a') }, { stagedSha256: null, incompleteStage: false }, { waiveUncommittedRunning: false });
    expect(plan).toEqual({ kind: 'refused', reason: expect.stringMatching(/^staging 8\.0\.2-0\.0\.22380479 is refused \(DOWNGRADE_NOT_ALLOWED\): .* is older than the running/) });
    const allowed = planUpgrade(state, { build: BUILD_802, sha256: sha('a') }, { stagedSha256: null, incompleteStage: false }, { waiveUncommittedRunning: false, allowDowngrade: { reason: 'back out' } });
    expect(allowed.kind).toBe('ready');
  });
});

describe('the bank decider: image signatures', () => {
  const on802 = observe(BUILD_802);
  it('refuses an unsigned image when the worker trusts keys', () => {
    expect(refusal(when(on802, stage(BUILD_803, { signature: { status: 'missing', trustedKeys: ['release-2025'] } })))).toEqual({
      code: 'IMAGE_NOT_SIGNED',
      message: "the image is not signed, and the worker stages only images signed by one of its trusted keys (release-2025): sign the image's SHA-256 and set target.signature",
    });
  });
  it('refuses a signature that verifies under no trusted key, saying why', () => {
    const decision = when(on802, stage(BUILD_803, { signature: { status: 'invalid', detail: 'it verifies under none of release-2025' } }));
    expect(refusal(decision)?.code).toBe('IMAGE_SIGNATURE_INVALID');
    expect(refusal(decision)?.message).toContain('it verifies under none of release-2025');
  });
  it('stages a verified image and records the key that vouched for it', () => {
    const decision = when(on802, stage(BUILD_803, { signature: { status: 'verified', keyId: 'release-2025' } }));
    expect(decision.ok && decision.events[0]?.data).toMatchObject({ build: BUILD_803, signedBy: 'release-2025' });
  });
  it('stages an image without a signature when the worker trusts no keys', () => {
    const decision = when(on802, stage(BUILD_803, { signature: { status: 'not-required' } }));
    expect(decision.ok && decision.events[0]?.data).not.toHaveProperty('signedBy');
  });
  it('refuses an unsigned image in the precheck too', () => {
    const plan = planUpgrade(evolveAll(initialState(), on802), { build: BUILD_803, sha256: sha('a') }, { stagedSha256: null, incompleteStage: false }, {
      waiveUncommittedRunning: false,
      signature: { status: 'missing', trustedKeys: ['k'] },
    });
    expect(plan.kind === 'refused' && plan.reason).toMatch(/^staging .* is refused \(IMAGE_NOT_SIGNED\): the image is not signed/);
  });
});
