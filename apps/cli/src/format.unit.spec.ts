import type { CampaignProgress } from '@bankswitch/campaign';
import { describe, expect, it } from 'vitest';
import { progressLine } from './format';

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
