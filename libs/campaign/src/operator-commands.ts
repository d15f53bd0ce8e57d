import type { HostProgress } from './state';
import { advance } from './advance';
import type { CampaignCommandOf } from './commands';
import type { CampaignDecision } from './decision';
import { accept, refuse } from './decision';
import type { CurrentCampaignEvent } from './events';
import { barriersOnCancel, partialBarrierRetry } from './commit-barrier';
import { evolve } from './evolve';
import type { CampaignState, CampaignStatus } from './state';
import { isRetryable } from './state';

const wrongStatus = (state: CampaignState, action: string, hint = ''): CampaignDecision =>
  refuse('WRONG_STATUS', `cannot ${action} a campaign that is ${state.status}${hint}`);

function requireStatus(state: CampaignState, allowed: readonly CampaignStatus[], action: string): CampaignDecision | undefined {
  if (state.status === 'not-launched') return refuse('NOT_LAUNCHED', `campaign ${state.campaignId} has not been launched`);
  return allowed.includes(state.status) ? undefined : wrongStatus(state, action);
}

/** Stops new hosts from starting; hosts in flight finish. A timed pause between waves becomes an operator's pause. */
export function pause(command: CampaignCommandOf<'Pause'>, state: CampaignState): CampaignDecision {
  const timed = state.status === 'paused' && state.pause?.kind === 'timed';
  if (!timed) {
    const refused = requireStatus(state, ['running'], 'pause');
    if (refused) return refused;
  }
  return accept([{ type: 'CampaignPaused', data: { campaignId: state.campaignId, reason: command.reason ?? 'paused by an operator', kind: 'operator', ms: null } }]);
}

/** Ends a pause of any kind (an approval wait included) and goes on. */
export function resume(_command: CampaignCommandOf<'Resume'>, state: CampaignState): CampaignDecision {
  return resumeFrom(state, ['paused', 'awaiting-approval'], 'resume');
}

/** Approves the next wave: only while the campaign waits for approval. */
export function approve(_command: CampaignCommandOf<'Approve'>, state: CampaignState): CampaignDecision {
  return resumeFrom(state, ['awaiting-approval'], 'approve');
}

/** A timed pause's time is up; a timer that outlived its pause changes nothing. */
export function timerFired(command: CampaignCommandOf<'TimerFired'>, state: CampaignState): CampaignDecision {
  if (state.status !== 'paused' || state.pause?.kind !== 'timed' || state.pause.afterWave !== command.wave) return accept([]);
  return resumeFrom(state, ['paused'], 'resume');
}

function resumeFrom(state: CampaignState, allowed: readonly CampaignStatus[], action: string): CampaignDecision {
  const refused = requireStatus(state, allowed, action);
  if (refused) return refused;
  const resumed: CurrentCampaignEvent = { type: 'CampaignResumed', data: { campaignId: state.campaignId } };
  return accept([resumed, ...advance(evolve(state, resumed))]);
}

/** Stops the campaign for good: no host starts any more; hosts in flight are settled by their workflows and still report. */
export function cancel(command: CampaignCommandOf<'Cancel'>, state: CampaignState): CampaignDecision {
  const refused = requireStatus(state, ['running', 'paused', 'awaiting-approval', 'halted'], 'cancel');
  if (refused) return refused;
  const cancelled: CurrentCampaignEvent = { type: 'CampaignCancelled', data: { campaignId: state.campaignId, reason: command.reason ?? 'cancelled by an operator' } };
  // Commit barrier: every host waiting at a barrier rolls back (recorded as the barrier's decision).
  return accept([cancelled, ...barriersOnCancel(evolve(state, cancelled))]);
}

/**
 * Puts failed or cancelled hosts back in the queue (all of them, or those named), from
 * any wave, also while halted or after the campaign ended (a retry run), and goes on.
 */
export function retry(command: CampaignCommandOf<'Retry'>, state: CampaignState): CampaignDecision {
  if (state.status === 'not-launched') return refuse('NOT_LAUNCHED', `campaign ${state.campaignId} has not been launched`);
  if (state.status === 'cancelled') return wrongStatus(state, 'retry hosts of', ': it was cancelled; launch a new campaign for its hosts');
  let chosen: HostProgress[];
  if (command.hostIds && command.hostIds.length > 0) {
    chosen = [];
    for (const hostId of command.hostIds) {
      const i = state.index[hostId];
      const host = i === undefined ? undefined : state.hosts[i];
      if (!host) return refuse('UNKNOWN_HOST', `host ${hostId} is not part of campaign ${state.campaignId}`);
      if (!isRetryable(host)) {
        return refuse('HOST_NOT_RETRYABLE', `host ${hostId} is ${host.status}${host.cause ? ` (${host.cause})` : ''}, not failed: only failed or cancelled hosts can be retried`);
      }
      chosen.push(host);
    }
  } else {
    chosen = state.hosts.filter(isRetryable);
    if (chosen.length === 0) return refuse('NOTHING_TO_RETRY', `campaign ${state.campaignId} has no failed or cancelled host: nothing to retry`);
  }
  const partial = partialBarrierRetry(state, chosen);
  if (partial) return refuse('PARTIAL_BARRIER_RETRY', partial);
  const requeued: CurrentCampaignEvent = { type: 'HostsRequeued', data: { campaignId: state.campaignId, hostIds: chosen.map((h) => h.hostId), by: command.by ?? null } };
  return accept([requeued, ...advance(evolve(state, requeued))]);
}
