// The fleet commit barrier as the campaign page says it: per barrier some host reached,
// "waiting at the commit barrier (k of n verified)" with who waits, or what it decided.
import type { CampaignProgress } from './api/types';

type Barrier = NonNullable<CampaignProgress['commitBarrier']>['barriers'][number];

const barrierName = (barrier: string) => (barrier === 'campaign' ? 'campaign' : `wave ${barrier.replace(/^wave-/, '')}`);

/** One line per barrier a host has reached (or that decided); none before any host verified. */
export function commitBarrierLines(progress: Pick<CampaignProgress, 'commitBarrier'>): string[] {
  const barriers: readonly Barrier[] = progress.commitBarrier?.barriers ?? [];
  return barriers
    .filter((b) => b.decision !== undefined || b.verified.length > 0)
    .map((b) => {
      const name = barrierName(b.barrier);
      if (b.decision === 'commit') return `${name}: committed together (${b.reason ?? ''})`;
      if (b.decision === 'rollback') return `${name}: rolled back together (${b.reason ?? ''})`;
      return `${name}: waiting at the commit barrier (${b.verified.length} of ${b.inPlay} verified): ${b.verified.join(', ')}`;
    });
}
