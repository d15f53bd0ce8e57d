import { describe, expect, it } from 'vitest';
import { hostEventSummary } from './host-history';

const staged = { bank: 0, build: '8.0.2-0.0.22380479', sha256: 'ab'.repeat(32), updated: 3, replacedBuild: '8.0.1-0.0.21495797', rollbackImageLost: false };

describe('hostEventSummary: a staged image', () => {
  it('names the trusted key that verified its signature and why a downgrade was allowed', () => {
    expect(hostEventSummary('ImageStaged', { ...staged, signedBy: 'release.pem', downgrade: { fromBuild: '8.0.3-0.0.24022510', reason: 'INC-4711: back to U2' } })).toBe(
      'staged 8.0.2-0.0.22380479 into bank 0, replacing 8.0.1-0.0.21495797; signed by trusted key release.pem; downgrade from 8.0.3-0.0.24022510 allowed: INC-4711: back to U2',
    );
  });

  it('says neither when no signature was required and the build is no downgrade', () => {
    expect(hostEventSummary('ImageStaged', { ...staged, rollbackImageLost: true })).toBe('staged 8.0.2-0.0.22380479 into bank 0, replacing 8.0.1-0.0.21495797 (its rollback image is lost)');
  });
});
