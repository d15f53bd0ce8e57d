// Approvals: pause points inside a host's upgrade. The host's workflow reports that it
// waits at a point; an operator approves one host or every waiting host at once; the
// decider records both, and refuses an approval nobody waits for.
import type { CampaignCommandOf } from './commands';
import type { CampaignDecision } from './decision';
import { accept, refuse } from './decision';
import type { CurrentCampaignEvent } from './events';
import type { ApprovalPoint, CampaignApprovals, CampaignState } from './state';
import { approvalPointsFor } from './state';

/** Whether a plan has any pause point (absent or every key `none`: no). */
export const hasApprovals = (approvals: CampaignApprovals | null | undefined): approvals is CampaignApprovals =>
  !!approvals && (approvals.beforeStage !== 'none' || approvals.beforeReboot !== 'none' || approvals.beforeCommit !== 'none');

/** A running host's upgrade waits at a point the plan gives its wave: recorded once; a stale or unplanned report changes nothing. */
export function hostAwaitingApproval(command: CampaignCommandOf<'HostAwaitingApproval'>, state: CampaignState): CampaignDecision {
  const i = state.index[command.hostId];
  const host = i === undefined ? undefined : state.hosts[i];
  if (!host || host.status !== 'running' || host.attempts !== command.attempt || host.awaitingApproval === command.point) return accept([]);
  if (!approvalPointsFor(state.plan, host.wave).includes(command.point)) return accept([]);
  return accept([{ type: 'HostWaitingForApproval', data: { campaignId: state.campaignId, hostId: host.hostId, attempt: host.attempts, point: command.point } }]);
}

/**
 * An operator's approval: every waiting host named (or all of them), at the point given
 * (or wherever each waits). Refused when no host matches, or when a named host does not
 * wait (there): nothing is approved ahead of time.
 */
export function approveHosts(command: CampaignCommandOf<'ApproveHosts'>, state: CampaignState): CampaignDecision {
  if (state.status === 'not-launched') return refuse('NOT_LAUNCHED', `campaign ${state.campaignId} has not been launched`);
  const where = command.point ? ` before the ${command.point}` : '';
  const waiting = state.hosts.filter((h) => h.status === 'running' && h.awaitingApproval !== undefined && (!command.point || h.awaitingApproval === command.point));
  let chosen = waiting;
  if (command.hostIds && command.hostIds.length > 0) {
    const unknown = command.hostIds.filter((id) => state.index[id] === undefined);
    if (unknown.length > 0) return refuse('UNKNOWN_HOST', `not in campaign ${state.campaignId}: ${unknown.join(', ')}`);
    const notWaiting = command.hostIds.filter((id) => !waiting.some((h) => h.hostId === id));
    if (notWaiting.length > 0) return refuse('NOTHING_TO_APPROVE', `${notWaiting.join(', ')} ${notWaiting.length === 1 ? 'is' : 'are'} not waiting for approval${where} in campaign ${state.campaignId}`);
    chosen = waiting.filter((h) => command.hostIds?.includes(h.hostId));
  }
  if (chosen.length === 0) return refuse('NOTHING_TO_APPROVE', `no host of campaign ${state.campaignId} is waiting for approval${where}`);
  const events: CurrentCampaignEvent[] = chosen.map((h) => ({
    type: 'HostApproved',
    data: { campaignId: state.campaignId, hostId: h.hostId, attempt: h.attempts, point: h.awaitingApproval as ApprovalPoint, by: command.by ?? null },
  }));
  return accept(events);
}

/** For a host's own workflow: whether an approval at `point` (any when absent) lets it go on from where it waits. */
export function ruleOnHostApproval(waitingAt: ApprovalPoint | undefined, point: ApprovalPoint | undefined): { ok: true } | { ok: false; message: string } {
  if (waitingAt === undefined) return { ok: false, message: 'the host is not waiting for approval' };
  if (point !== undefined && point !== waitingAt) return { ok: false, message: `the host waits for approval before the ${waitingAt}, not before the ${point}` };
  return { ok: true };
}
