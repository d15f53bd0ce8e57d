// The fleet commit barrier's groups: which hosts are held together before they commit
// (`commit: wave`: the hosts of one wave; `commit: campaign`: every host), and how a
// group stands. Pure functions of the state, shared by the rules, `evolve` and progress.
import type { CampaignPlan, CampaignState, HostProgress } from './state';

/** With `commit: wave` each wave is a barrier, with `campaign` the whole campaign is one; `host` (the default) has none. */
export type CommitScope = 'host' | 'wave' | 'campaign';

/** The barrier policy a campaign was launched with: its scope, and how long a barrier may hold hosts before it rolls them back. */
export interface CommitBarrierPolicy {
  readonly scope: 'wave' | 'campaign';
  /** From the first host reaching a barrier (in a round) until the barrier rolls back whoever waits. */
  readonly timeoutMs: number;
}

/** What a barrier decided, and its round (a retry of hosts behind a decided barrier opens the next round). */
export interface BarrierState {
  readonly round: number;
  readonly decision?: 'commit' | 'rollback';
  readonly reason?: string;
  /** A barrier that timed out: the hosts that had not verified in time (they count as failed when they arrive). */
  readonly late?: readonly string[];
}

/** The barrier a host of `wave` waits at: `wave-<n>` or `campaign`; undefined without a barrier (or a ramp-up host no wave took yet, with `wave`). */
export function barrierIdOf(plan: Pick<CampaignPlan, 'commitBarrier'>, wave: number): string | undefined {
  const scope = plan.commitBarrier?.scope;
  if (scope === 'campaign') return 'campaign';
  if (scope === 'wave' && wave >= 0) return `wave-${wave}`;
  return undefined;
}

/** A barrier in an operator's words. */
export const barrierWords = (barrier: string): string => (barrier === 'campaign' ? "the campaign's commit barrier" : `the commit barrier of wave ${barrier.replace(/^wave-/, '')}`);

/** Every host behind the barrier (whatever its status). */
export const barrierMembers = (state: CampaignState, barrier: string): HostProgress[] => state.hosts.filter((h) => barrierIdOf(state.plan, h.wave) === barrier);

/** Hosts behind the barrier still in play: not started yet, or upgrading (waiting at it or on their way). */
export const inPlay = (state: CampaignState, barrier: string): HostProgress[] => barrierMembers(state, barrier).filter((h) => h.status === 'pending' || h.status === 'running');

/** Hosts waiting at the barrier: verified, new image booted, not committed. */
export const waitingAt = (state: CampaignState, barrier: string): HostProgress[] => barrierMembers(state, barrier).filter((h) => h.status === 'running' && h.awaitingCommit === barrier);

/** The barrier has not decided in its current round. */
export const isOpen = (state: CampaignState, barrier: string): boolean => state.barriers?.[barrier]?.decision === undefined;

/** Every host in play has verified and waits: the barrier may commit them all. */
export function readyToCommit(state: CampaignState, barrier: string): boolean {
  const playing = inPlay(state, barrier);
  return isOpen(state, barrier) && playing.length > 0 && playing.every((h) => h.status === 'running' && h.awaitingCommit === barrier);
}

/** Barriers that may still decide: open, with a host in play. */
export function openBarriers(state: CampaignState): string[] {
  if (!state.plan.commitBarrier) return [];
  const ids = new Set<string>();
  for (const h of state.hosts) {
    const id = barrierIdOf(state.plan, h.wave);
    if (id && (h.status === 'pending' || h.status === 'running') && isOpen(state, id)) ids.add(id);
  }
  return [...ids];
}
