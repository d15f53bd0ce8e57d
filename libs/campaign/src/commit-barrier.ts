// The fleet commit barrier (`commit: wave | campaign`): hosts verify, then wait at their
// barrier with the new image booted but not committed. The decider releases the barrier
// with one decision for every host behind it: commit once all of them verified; roll
// back as soon as one of them did not succeed, the barrier's time is up, or the campaign
// is cancelled. The failure budget does not apply inside a barrier: one failure is enough.
import { advance } from './advance';
import { barrierIdOf, barrierWords, inPlay, isOpen, openBarriers, readyToCommit, waitingAt, type BarrierState } from './barrier-groups';
import type { CampaignCommandOf } from './commands';
import type { CampaignDecision } from './decision';
import { accept } from './decision';
import type { CurrentCampaignEvent } from './events';
import { evolve, evolveAll } from './evolve';
import type { CampaignState, HostProgress } from './state';
import { isRetryable, isSucceeded } from './state';

const hostsWord = (n: number) => `${n} host${n === 1 ? '' : 's'}`;

function released(state: CampaignState, barrier: string, decision: 'commit' | 'rollback', reason: string, hostIds: readonly string[], late: readonly string[] = []): CurrentCampaignEvent {
  const round = state.barriers?.[barrier]?.round ?? 0;
  return { type: 'BarrierReleased', data: { campaignId: state.campaignId, barrier, round, decision, reason, hostIds, late } };
}

/** Every host behind the barrier verified: all of them commit. */
function commitIfReady(state: CampaignState, barrier: string): CurrentCampaignEvent[] {
  if (!readyToCommit(state, barrier)) return [];
  const waiting = waitingAt(state, barrier).map((h) => h.hostId);
  return [released(state, barrier, 'commit', `all ${hostsWord(waiting.length)} behind it verified`, waiting)];
}

/**
 * A running host verified and waits at its barrier: recorded once. It is told at once when
 * its barrier decided already (a host on its way when the barrier rolled back); the last
 * host to arrive releases the barrier for all.
 */
export function hostAwaitingCommit(command: CampaignCommandOf<'HostAwaitingCommit'>, state: CampaignState): CampaignDecision {
  const i = state.index[command.hostId];
  const host = i === undefined ? undefined : state.hosts[i];
  if (!host || host.status !== 'running' || host.attempts !== command.attempt || host.awaitingCommit !== undefined) return accept([]);
  const barrier = barrierIdOf(state.plan, host.wave);
  if (!barrier) return accept([]);
  const waiting: CurrentCampaignEvent = { type: 'HostAwaitingCommit', data: { campaignId: state.campaignId, hostId: host.hostId, attempt: host.attempts, barrier } };
  let after = evolve(state, waiting);
  const decided: BarrierState | undefined = after.barriers?.[barrier];
  const events: CurrentCampaignEvent[] = [waiting];
  if (decided?.decision) {
    const late = decided.late?.includes(host.hostId) ? [host.hostId] : [];
    events.push(released(after, barrier, decided.decision, decided.reason ?? `${barrierWords(barrier)} decided before this host arrived`, [host.hostId], late));
  } else {
    events.push(...commitIfReady(after, barrier));
  }
  after = evolveAll(after, events.slice(1));
  // With `commit: campaign` a wave whose hosts all wait at the barrier lets the next wave start.
  return accept([...events, ...advance(after)]);
}

/** After a host ended (`state` includes its HostFinished): a host that did not succeed rolls its open barrier back; one that did may complete it. */
export function barrierAfterHostEnd(state: CampaignState, host: HostProgress): CurrentCampaignEvent[] {
  const barrier = barrierIdOf(state.plan, host.wave);
  if (!barrier || !isOpen(state, barrier)) return [];
  if (isSucceeded(host)) return commitIfReady(state, barrier);
  const waiting = waitingAt(state, barrier).map((h) => h.hostId);
  return [released(state, barrier, 'rollback', `${host.hostId} ended ${host.status}${host.reason ? `: ${host.reason}` : ''}`, waiting)];
}

/** The barrier's time is up: whoever waits rolls back; the hosts that had not verified count as failed. A timer of an earlier round changes nothing. */
export function barrierTimedOut(command: CampaignCommandOf<'BarrierTimedOut'>, state: CampaignState): CampaignDecision {
  const policy = state.plan.commitBarrier;
  const round = state.barriers?.[command.barrier]?.round ?? 0;
  if (!policy || round !== command.round || !isOpen(state, command.barrier)) return accept([]);
  const waiting = waitingAt(state, command.barrier).map((h) => h.hostId);
  const late = inPlay(state, command.barrier).filter((h) => h.awaitingCommit !== command.barrier);
  if (waiting.length === 0 || late.length === 0) return accept([]);
  const shown = late.slice(0, 10).map((h) => h.hostId).join(', ') + (late.length > 10 ? `, … (${late.length - 10} more)` : '');
  const reason = `timed out: ${hostsWord(late.length)} had not verified ${Math.round(policy.timeoutMs / 1000)} s after the first host reached it (${shown})`;
  const event = released(state, command.barrier, 'rollback', reason, waiting, late.map((h) => h.hostId));
  return accept([event, ...advance(evolve(state, event))]);
}

/** A cancel rolls back every barrier that may still decide (`state` includes the CampaignCancelled). */
export function barriersOnCancel(state: CampaignState): CurrentCampaignEvent[] {
  return openBarriers(state).map((barrier) => released(state, barrier, 'rollback', 'the campaign was cancelled', waitingAt(state, barrier).map((h) => h.hostId)));
}

/**
 * Hosts behind one barrier are rolled back together, so they are retried together: a
 * retry that names some of them must name every one that may be retried. Returns why not.
 */
export function partialBarrierRetry(state: CampaignState, chosen: readonly HostProgress[]): string | undefined {
  if (!state.plan.commitBarrier) return undefined;
  const named = new Set(chosen.map((h) => h.hostId));
  for (const host of chosen) {
    const barrier = barrierIdOf(state.plan, host.wave);
    if (!barrier) continue;
    const left = state.hosts.filter((h) => barrierIdOf(state.plan, h.wave) === barrier && isRetryable(h) && !named.has(h.hostId)).map((h) => h.hostId);
    if (left.length > 0) {
      return `${barrierWords(barrier)} rolls its hosts back together, so they are retried together: also retry ${left.join(', ')} (or retry without naming hosts)`;
    }
  }
  return undefined;
}
