import { hostEventSummary, type BanksAt, type HistoryEntry } from '@bankswitch/app';
import type { CampaignProgress } from '@bankswitch/campaign';
import { describe, expect, it } from 'vitest';
import { formatHistory, progressLine } from './format';

const progress = (extra: Partial<CampaignProgress>): CampaignProgress => ({
  campaignId: 'c',
  name: 'c',
  targetBuild: '8.0.3-0.0.24022510',
  status: 'running',
  wave: 0,
  waves: [{ index: 0, kind: 'canary', total: 1, counts: { pending: 1 } }],
  inFlight: 0,
  failed: 0,
  failureBudget: 0,
  hosts: [{ hostId: 'h1', wave: 0, cluster: 'a', status: 'pending', attempts: 0 }],
  ...extra,
});

describe('progressLine', () => {
  it('says what a running campaign waits for: a window, with when it opens, or its gates', () => {
    expect(progressLine(progress({ window: { open: false, opensAt: '2026-11-30T21:00:00.000Z' }, waitingFor: 'waiting for window (opens 2026-11-30T21:00:00.000Z)' }))).toBe(
      'running · wave 0/0 · done 0/1 · in flight 0 · failed 0 (budget 0) · waiting for window (opens 2026-11-30T21:00:00.000Z)',
    );
    expect(progressLine(progress({ waitingFor: 'waiting for gates after wave 0: error-rate' }))).toContain('· waiting for gates after wave 0: error-rate');
  });
});

describe('formatHistory', () => {
  const after: BanksAt = {
    bootedBank: 1,
    bootedBuild: '8.0.3-0.0.24022510',
    banks: [
      { bank: 0, build: '8.0.2-0.0.22380479', state: 'UPGRADING' },
      { bank: 1, build: '8.0.3-0.0.24022510', state: 'VALID' },
    ],
    canRollBack: false,
    rollBackTo: null,
    rollBackReason: 'bank 0 holds a staged image that has not booted',
    standing: null,
  };
  const data = { bank: 0, build: '8.0.2-0.0.22380479', sha256: 'ab'.repeat(32), updated: 4, replacedBuild: null, rollbackImageLost: false, signedBy: 'release.pem', downgrade: { fromBuild: '8.0.3-0.0.24022510', reason: 'INC-4711: back to U2' } };
  const staged: HistoryEntry = { at: '2026-11-30T21:05:00.000Z', version: 7, type: 'ImageStaged', summary: hostEventSummary('ImageStaged', data), data, after, campaignId: 'back-to-u2', operator: 'alice' };

  it('says which trusted key signed a staged image and why its downgrade was allowed', () => {
    expect(formatHistory('esx01', [staged]).split('\n')[1]).toBe(
      '2026-11-30T21:05:00.000Z  #7 ImageStaged: staged 8.0.2-0.0.22380479 into bank 0; signed by trusted key release.pem; downgrade from 8.0.3-0.0.24022510 allowed: INC-4711: back to U2',
    );
  });
});
