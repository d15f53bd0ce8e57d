import { describe, expect, it } from 'vitest';
import { commitBarrierLines } from './commit-barrier';

describe('commitBarrierLines', () => {
  it('says who waits at an open barrier, and what a decided one did', () => {
    const lines = commitBarrierLines({
      commitBarrier: {
        scope: 'wave',
        timeoutMs: 3_600_000,
        barriers: [
          { barrier: 'wave-0', hosts: 1, inPlay: 0, verified: [], decision: 'commit', reason: 'all 1 host behind it verified' },
          { barrier: 'wave-1', hosts: 3, inPlay: 3, verified: ['esx02', 'esx03'] },
          { barrier: 'wave-2', hosts: 2, inPlay: 2, verified: [] },
        ],
      },
    });
    expect(lines).toEqual(['wave 0: committed together (all 1 host behind it verified)', 'wave 1: waiting at the commit barrier (2 of 3 verified): esx02, esx03']);
    expect(commitBarrierLines({ commitBarrier: { scope: 'campaign', timeoutMs: 1, barriers: [{ barrier: 'campaign', hosts: 2, inPlay: 1, verified: [], decision: 'rollback', reason: 'esx04 ended rolled-back' }] } })).toEqual([
      'campaign: rolled back together (esx04 ended rolled-back)',
    ]);
    expect(commitBarrierLines({})).toEqual([]);
  });
});
