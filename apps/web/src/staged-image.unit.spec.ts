import { describe, expect, it } from 'vitest';
import { downgradeText, lastStagedImage, signatureText, stagedImageOf, stagedImageText } from './staged-image';

const staged = (at: string, extra: Record<string, unknown> = {}) => ({ type: 'ImageStaged', at, data: { bank: 0, build: '8.0.2-0.0.22380479', sha256: 'ab'.repeat(32), ...extra } });
const DOWNGRADE = { fromBuild: '8.0.3-0.0.24022510', reason: 'INC-4711: back to U2' };

describe('staged images', () => {
  it('names the trusted key that verified the signature and the reason of an allowed downgrade', () => {
    const image = stagedImageOf(staged('2026-11-30T21:05:00.000Z', { signedBy: 'release.pem', downgrade: DOWNGRADE }))!;
    expect(signatureText(image)).toBe('trusted key release.pem');
    expect(downgradeText(image)).toBe('from 8.0.3-0.0.24022510, allowed: INC-4711: back to U2');
    expect(stagedImageText(image)).toBe('8.0.2-0.0.22380479 in bank 0, signed by trusted key release.pem; a downgrade from 8.0.3-0.0.24022510, allowed: INC-4711: back to U2');
  });

  it('says so when no signature was checked and the build was no downgrade', () => {
    const image = stagedImageOf(staged('2026-11-30T21:05:00.000Z'))!;
    expect(signatureText(image)).toBe('not checked (the worker trusted no image keys)');
    expect(downgradeText(image)).toBe('no');
    expect(stagedImageText(image)).toBe('8.0.2-0.0.22380479 in bank 0, signature not checked');
  });

  it('finds the image staged last, and none in a history without one', () => {
    const entries = [staged('2026-11-30T21:00:00.000Z'), { type: 'BankBooted', at: '2026-11-30T21:01:00.000Z', data: {} }, staged('2026-11-30T21:05:00.000Z', { signedBy: 'release.pem' }), { type: 'BankCommitted', at: '2026-11-30T21:06:00.000Z', data: {} }];
    expect(lastStagedImage(entries)).toMatchObject({ at: '2026-11-30T21:05:00.000Z', signedBy: 'release.pem' });
    expect(lastStagedImage(entries.filter((e) => e.type !== 'ImageStaged'))).toBeUndefined();
    expect(stagedImageOf({ type: 'BankBooted', at: '2026-11-30T21:01:00.000Z', data: {} })).toBeUndefined();
  });
});
