import { advance } from './advance';
import type { CampaignCommandOf } from './commands';
import type { CampaignDecision } from './decision';
import { accept } from './decision';
import type { CurrentCampaignEvent } from './events';
import { barrierAfterHostEnd } from './commit-barrier';
import { evolve, evolveAll } from './evolve';
import type { CampaignState } from './state';

/**
 * A host's upgrade ended. Reports are idempotent: a duplicate, or one for an attempt
 * the campaign is not waiting for, changes nothing. A host that needed attention may be
 * reported again by the same attempt once it was settled.
 */
export function hostFinished(command: CampaignCommandOf<'HostFinished'>, state: CampaignState): CampaignDecision {
  const { report } = command;
  const i = state.index[report.hostId];
  const host = i === undefined ? undefined : state.hosts[i];
  if (!host || host.attempts !== report.attempt) return accept([]);
  const settledLater = host.status === 'needs-attention' && report.endState !== 'needs-attention';
  if (host.status !== 'running' && !settledLater) return accept([]);
  const finished: CurrentCampaignEvent = {
    type: 'HostFinished',
    data: {
      campaignId: state.campaignId,
      hostId: host.hostId,
      wave: host.wave,
      attempt: report.attempt,
      endState: report.endState,
      cause: report.cause,
      reason: report.reason,
      settle: report.settle ?? null,
    },
  };
  const after = evolve(state, finished);
  // Commit barrier: a host that did not succeed rolls back every host behind its barrier; one that did may complete it.
  const barrier = barrierAfterHostEnd(after, after.hosts[i as number] ?? host);
  return accept([finished, ...barrier, ...advance(evolveAll(after, barrier))]);
}

/** The campaign could not hand the host to its upgrade workflow: nothing was done to the host. */
export function hostStartFailed(command: CampaignCommandOf<'HostStartFailed'>, state: CampaignState): CampaignDecision {
  const i = state.index[command.hostId];
  const host = i === undefined ? undefined : state.hosts[i];
  if (!host || host.status !== 'running') return accept([]);
  return hostFinished({ type: 'HostFinished', report: { hostId: host.hostId, attempt: host.attempts, endState: 'untouched', cause: 'failed', reason: command.reason } }, state);
}
