// Campaign commands and queries. Status and lists are read from the campaign's events
// (the decider's fold), so they work with Temporal down or after its retention has
// passed; Temporal is asked only whether the workflow still runs. Commands go to the
// running workflow as updates (its decider refuses what it must), or start a retry run
// from the state the events give once it has ended.
import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { decide, isRetryable, progressOf, type ApprovalPoint, type CampaignProgress, type CampaignState, type HostProgress, type HostReport } from '@bankswitch/campaign';
import { hostStream, type RecordedCampaign, type Records } from '@bankswitch/records';
import { approveHostsUpdate, approveUpdate, campaignWorkflow, campaignWorkflowId, cancelUpdate, hostWorkflowId, pauseUpdate, progressQuery, resumeUpdate, retryHostsUpdate, type CampaignInput } from '@bankswitch/workflows';
import { campaignInputFromPlan } from './campaign-input';
import { ConflictError, InvalidInputError, NotFoundError, UnavailableError } from './errors';
import { listProblems } from './problems';
import type { PlanOutput } from './spec-plan';
import { describeOrUndefined, refusal, startInput, unavailable } from './temporal';

/**
 * A campaign of thousands of hosts replays a history of megabytes when a worker takes it over
 * (its last worker died, or its cache dropped it): measured 12–19 s on a starved 2-core machine
 * at 10,000 hosts, past the 10 s default, so the server timed the task out and it started over.
 * Continue-as-new keeps this setting.
 */
const CAMPAIGN_WORKFLOW_TASK_TIMEOUT = '30s';

/** How the campaign stands: its own status, or, when its workflow is gone while its events say it runs, how the workflow ended. */
export type CampaignOutcome = CampaignProgress['status'] | 'failed' | 'terminated' | 'timed-out' | 'unknown';

export interface CampaignView {
  readonly campaignId: string;
  readonly workflowId: string;
  readonly status: CampaignOutcome;
  /** Its workflow runs (it may still start or settle hosts). */
  readonly running: boolean;
  readonly startedAt: string;
  readonly targetBuild: string;
  readonly progress: CampaignProgress;
  /** When Temporal could not be asked, or the workflow ended without finishing the campaign. */
  readonly note?: string;
}

export interface LaunchResult {
  readonly outcome: 'started' | 'already-running';
  readonly campaignId: string;
  readonly workflowId: string;
  readonly runId: string;
  readonly message: string;
}

export interface RetryResult {
  /** `update`: failed hosts requeued in the running campaign; `retry-run`: a new run of an ended one. */
  readonly mode: 'update' | 'retry-run';
  readonly campaignId: string;
  readonly hostIds: readonly string[];
  /** A retry run: hosts whose end it recorded first (they ended while the campaign's workflow was gone). */
  readonly recorded?: readonly string[];
  readonly runId?: string;
  readonly progress?: CampaignProgress;
}

export interface CampaignDeps {
  readonly temporal: Client;
  readonly taskQueue: string;
  readonly records: Records;
}

const notFound = (id: string) => new NotFoundError(`no campaign "${id}": list campaigns with \`bankswitch campaign list\``);

export async function launchCampaign(deps: CampaignDeps, planned: PlanOutput, options: { by: string; specDir?: string }): Promise<LaunchResult> {
  const campaignId = planned.campaignId;
  const workflowId = campaignWorkflowId(campaignId);
  if (planned.plan.waves.length === 0) throw new InvalidInputError(`campaign ${campaignId} has no host to upgrade (${listProblems(planned.plan.warnings, (shown) => shown.map((w) => w.message).join('; '))})`);
  const earlier = await launchedBefore(deps, campaignId);
  if (earlier) return earlier;
  const input = campaignInputFromPlan(planned.spec, planned.plan, { campaignId, operator: options.by, specDir: options.specDir });
  try {
    const handle = await deps.temporal.workflow.start(campaignWorkflow, {
      taskQueue: deps.taskQueue,
      workflowId,
      args: [input],
      // A campaign id is launched once; later runs are retry runs (`campaign retry`).
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      workflowTaskTimeout: CAMPAIGN_WORKFLOW_TASK_TIMEOUT,
    });
    return { outcome: 'started', campaignId, workflowId, runId: handle.firstExecutionRunId, message: `campaign ${campaignId} started (workflow ${workflowId})` };
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw unavailable(error);
    const now = await launchedBefore(deps, campaignId);
    if (!now) throw error;
    return now;
  }
}

/** The answer to a second launch of this campaign id, or undefined when it was never launched. */
export async function launchedBefore(deps: CampaignDeps, campaignId: string): Promise<LaunchResult | undefined> {
  const workflowId = campaignWorkflowId(campaignId);
  const existing = await describeOrUndefined(deps.temporal, workflowId);
  const recorded = (await deps.records.campaign(campaignId))?.state;
  if (!existing && !recorded) return undefined;
  if (existing?.status.name === 'RUNNING') {
    return {
      outcome: 'already-running',
      campaignId,
      workflowId,
      runId: existing.runId,
      message: `campaign ${campaignId} is already running (workflow ${workflowId}); nothing was started. Follow it with \`bankswitch campaign watch ${campaignId}\``,
    };
  }
  const status = recorded ? recorded.status : (existing?.status.name.toLowerCase() ?? 'unknown');
  throw new ConflictError(
    `campaign ${campaignId} was already launched and has ended (${status}); it is not started twice. ` +
      `Retry its failed hosts with \`bankswitch campaign retry ${campaignId}\`, or give the spec a new name to start a new campaign`,
  );
}

export async function campaignStatus(deps: CampaignDeps, campaignId: string): Promise<CampaignView> {
  const recorded = await deps.records.campaign(campaignId);
  if (recorded) return viewOf(deps, recorded);
  // Just launched: its first events are not recorded yet (or PostgreSQL is away); the workflow knows.
  const workflowId = campaignWorkflowId(campaignId);
  const description = await describeOrUndefined(deps.temporal, workflowId);
  if (description?.status.name !== 'RUNNING') throw notFound(campaignId);
  const progress = await deps.temporal.workflow
    .getHandle(workflowId)
    .query(progressQuery)
    .catch((error: unknown) => {
      throw new UnavailableError(`campaign ${campaignId} runs but its events are not recorded yet and its workflow did not answer (${(error as Error).message}); is a worker polling task queue ${deps.taskQueue}?`);
    });
  return {
    campaignId,
    workflowId,
    status: progress.status,
    running: true,
    startedAt: description.startTime.toISOString(),
    targetBuild: progress.targetBuild,
    progress,
    note: 'its first events are not recorded yet: this is what its workflow says',
  };
}

/** Exported for its unit test (campaign-view.unit.spec.ts). */
export async function viewOf(deps: CampaignDeps, recorded: RecordedCampaign, temporal: { down: boolean } = { down: false }, readAgain = true): Promise<CampaignView> {
  const { state } = recorded;
  const workflowId = campaignWorkflowId(state.campaignId);
  const progress = await withLaterSettles(deps, progressOf(state));
  const startedAt = recorded.startedAt.toISOString();
  const base = { campaignId: state.campaignId, workflowId, targetBuild: state.plan.targetBuild, progress };
  let description;
  try {
    if (temporal.down) throw new Error('Temporal did not answer');
    description = await describeOrUndefined(deps.temporal, workflowId);
  } catch {
    // Asked once per listing: a Temporal that is away is not asked again for every campaign.
    temporal.down = true;
    return { ...base, startedAt, status: state.status, running: !isFinished(state), note: 'Temporal did not answer: this is the campaign as its events record it' };
  }
  const running = description?.status.name === 'RUNNING';
  if (!running && !isFinished(state)) {
    // Its workflow may have appended its last events and ended after they were read above
    // (a 10,000-host campaign's read takes seconds): read them once more before saying so.
    const again = readAgain ? await deps.records.campaign(state.campaignId) : undefined;
    if (again && again.state.version > state.version) return viewOf(deps, again, temporal, false);
    // The events say it goes on, but its workflow is gone: terminated, failed, or past retention.
    const how = description?.status.name.toLowerCase().replace('_', '-') ?? 'unknown';
    const status: CampaignOutcome = how === 'terminated' || how === 'failed' || how === 'timed-out' ? how : 'unknown';
    return {
      ...base,
      startedAt,
      status,
      running: false,
      note: `its workflow ${workflowId} is ${description ? how : 'gone'} while its events say ${state.status}; \`bankswitch campaign retry ${state.campaignId}\` goes on from where the events stand`,
    };
  }
  return { ...base, startedAt, status: state.status, running };
}

/**
 * A host that needed attention may be settled after its campaign ended (its upgrade
 * watched it until it answered, or an operator acted): the campaign's own record keeps
 * "needs attention", the host's history has the later end. Status shows the later one.
 */
async function withLaterSettles(deps: CampaignDeps, progress: CampaignProgress): Promise<CampaignProgress> {
  const waiting = progress.hosts.filter((h) => h.status === 'needs-attention');
  if (waiting.length === 0) return progress;
  await deps.records.store.projections.catchUp();
  const later = new Map<string, HostProgress>();
  for (const host of waiting) {
    const standing = (await deps.records.hostBanks(host.hostId))?.state.standing;
    if (!standing || standing.state === 'upgrading' || standing.state === 'needs-attention') continue;
    if (standing.campaignId !== null && standing.campaignId !== progress.campaignId) continue;
    // An operator's action counts only when it came after this campaign touched the host (an earlier one is not a settle of it).
    if (standing.campaignId === null && !(await actedAfterCampaign(deps, host.hostId, progress.campaignId))) continue;
    later.set(host.hostId, { ...host, status: standing.state, reason: `settled after the campaign heard of it: ${standing.reason}`, settle: undefined });
  }
  if (later.size === 0) return progress;
  // The wave counts follow the hosts they count.
  const waves = progress.waves.map((wave) => {
    const counts: Record<string, number> = { ...wave.counts };
    for (const [hostId, settled] of later) {
      const before = progress.hosts.find((h) => h.hostId === hostId);
      if (!before || before.wave !== wave.index) continue;
      counts[before.status] = (counts[before.status] ?? 1) - 1;
      if (counts[before.status] === 0) delete counts[before.status];
      counts[settled.status] = (counts[settled.status] ?? 0) + 1;
    }
    return { ...wave, counts };
  });
  return { ...progress, waves, hosts: progress.hosts.map((h) => later.get(h.hostId) ?? h)};
}

/** The host's last operator action comes after this campaign's last UpgradeStarted or UpgradeEnded for it, in the host's own stream. */
async function actedAfterCampaign(deps: CampaignDeps, hostId: string, campaignId: string): Promise<boolean> {
  const events = await deps.records.store.readStream(hostStream(hostId));
  let touched = -1;
  let acted = -1;
  events.forEach((e, i) => {
    if ((e.type === 'UpgradeStarted' || e.type === 'UpgradeEnded') && e.data.campaignId === campaignId) touched = i;
    if (e.type === 'HostActionTaken') acted = i;
  });
  return touched >= 0 && acted > touched;
}

/** The campaign's decisions are all made: nothing more will start. */
function isFinished(state: CampaignState): boolean {
  return state.running === 0 && (state.status === 'completed' || state.status === 'cancelled' || state.status === 'halted');
}

export async function listCampaigns(deps: CampaignDeps, options: { limit?: number } = {}): Promise<CampaignView[]> {
  const ids = await deps.records.campaignIds({ limit: options.limit ?? 50 });
  const views: CampaignView[] = [];
  const temporal = { down: false };
  for (const id of ids) {
    const recorded = await deps.records.campaign(id);
    if (recorded) views.push(await viewOf(deps, recorded, temporal));
  }
  return views;
}

type Action = 'pause' | 'resume' | 'approve' | 'cancel';
const updates = { pause: pauseUpdate, resume: resumeUpdate, approve: approveUpdate, cancel: cancelUpdate } as const;

export async function actOnCampaign(deps: CampaignDeps, campaignId: string, action: Action, options: { by: string; reason?: string }): Promise<CampaignProgress> {
  const workflowId = campaignWorkflowId(campaignId);
  const state = (await deps.records.campaign(campaignId))?.state;
  const description = await describeOrUndefined(deps.temporal, workflowId);
  if (!state && !description) throw notFound(campaignId);
  if (description?.status.name !== 'RUNNING') {
    const status = state?.status ?? description?.status.name.toLowerCase();
    const hint = state && state.status !== 'cancelled' && state.hosts.some(isRetryable) ? `; to upgrade its failed hosts again use \`bankswitch campaign retry ${campaignId}\`` : '';
    throw new ConflictError(`cannot ${action} campaign ${campaignId}: its workflow is not running (the campaign is ${status})${hint}`);
  }
  try {
    return await deps.temporal.workflow.getHandle(workflowId).executeUpdate(updates[action], { args: [{ by: options.by, reason: options.reason }] });
  } catch (error) {
    throw refusal(error, `${action} of campaign ${campaignId}`);
  }
}

/**
 * Approvals: approves waiting hosts of a running campaign (those named, else every
 * waiting one) at `point` (else wherever each waits); the campaign records who approved
 * and tells each host's upgrade to go on. Refused when no such host waits.
 */
export async function approveCampaignHosts(
  deps: CampaignDeps,
  campaignId: string,
  options: { by: string; hostIds?: readonly string[]; point?: ApprovalPoint },
): Promise<CampaignProgress> {
  const workflowId = campaignWorkflowId(campaignId);
  const state = (await deps.records.campaign(campaignId))?.state;
  const description = await describeOrUndefined(deps.temporal, workflowId);
  if (!state && !description) throw notFound(campaignId);
  if (description?.status.name !== 'RUNNING') {
    throw new ConflictError(`cannot approve hosts of campaign ${campaignId}: its workflow is not running (the campaign is ${state?.status ?? description?.status.name.toLowerCase()})`);
  }
  try {
    return await deps.temporal.workflow.getHandle(workflowId).executeUpdate(approveHostsUpdate, {
      args: [{ by: options.by, ...(options.hostIds?.length ? { hostIds: options.hostIds } : {}), ...(options.point ? { point: options.point } : {}) }],
    });
  } catch (error) {
    throw refusal(error, `approval of hosts of campaign ${campaignId}`);
  }
}

export async function retryCampaign(deps: CampaignDeps, campaignId: string, options: { by: string; hostIds?: readonly string[] }): Promise<RetryResult> {
  const workflowId = campaignWorkflowId(campaignId);
  const state = (await deps.records.campaign(campaignId))?.state;
  const description = await describeOrUndefined(deps.temporal, workflowId);
  if (!state || !description) throw notFound(campaignId);
  const hostIds = options.hostIds?.length ? options.hostIds : undefined;
  if (description.status.name === 'RUNNING') {
    try {
      const progress = await deps.temporal.workflow.getHandle(workflowId).executeUpdate(retryHostsUpdate, { args: [{ by: options.by, hostIds }] });
      return { mode: 'update', campaignId, hostIds: hostIds ?? [], progress };
    } catch (error) {
      throw refusal(error, `retry of campaign ${campaignId}`);
    }
  }
  // The workflow has ended (or is gone): a new run goes on from the state the events give.
  const retryable = state.hosts.filter(isRetryable);
  for (const id of hostIds ?? []) {
    const host = state.hosts.find((h) => h.hostId === id);
    if (!host) throw new InvalidInputError(`host ${id} is not part of campaign ${campaignId}`);
    if (!retryable.includes(host)) throw new ConflictError(`host ${id} is ${host.status} in campaign ${campaignId}, not failed: only failed or cancelled hosts can be retried`);
  }
  if (state.status === 'cancelled') throw new ConflictError(`campaign ${campaignId} was cancelled: its hosts are not retried; launch a new campaign for them`);
  // Hosts behind one commit barrier are retried together: refused here rather than by the new run.
  const barrierRuling = hostIds ? decide({ type: 'Retry', by: options.by, hostIds }, state) : undefined;
  if (barrierRuling && !barrierRuling.ok && barrierRuling.refusal.code === 'PARTIAL_BARRIER_RETRY') throw new ConflictError(barrierRuling.refusal.message);
  const endedMeanwhile = await hostsEndedMeanwhile(deps, state);
  const chosen = hostIds ?? retryable.map((h) => h.hostId);
  if (chosen.length === 0 && endedMeanwhile.length === 0) throw new ConflictError(`campaign ${campaignId} ended ${state.status} with no failed or cancelled host: nothing to retry`);
  const input = await startInput<CampaignInput>(deps.temporal, workflowId, description.runId);
  try {
    const run = await deps.temporal.workflow.start(campaignWorkflow, {
      taskQueue: deps.taskQueue,
      workflowId,
      // `carried` is what the events say, so the last run's unappended events (`pending`) are not appended again.
      args: [{ ...input, carried: state, carriedCompact: undefined, pending: undefined, retry: chosen.length > 0 ? { hostIds: chosen, by: options.by } : undefined, endedMeanwhile, operator: options.by }],
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      workflowTaskTimeout: CAMPAIGN_WORKFLOW_TASK_TIMEOUT,
    });
    return { mode: 'retry-run', campaignId, hostIds: chosen, recorded: endedMeanwhile.map((r) => r.hostId), runId: run.firstExecutionRunId };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) throw new ConflictError(`campaign ${campaignId} is running again already (another retry started it); follow it with \`bankswitch campaign watch ${campaignId}\``);
    throw unavailable(error);
  }
}

/**
 * Hosts the events show running although the campaign's workflow is gone (terminated,
 * or past retention): how each ended, from its own history (its upgrade recorded
 * UpgradeEnded even though the campaign never heard), or needs attention when its
 * upgrade's workflow is gone too without an end. The retry run records these first.
 */
async function hostsEndedMeanwhile(deps: CampaignDeps, state: CampaignState): Promise<HostReport[]> {
  const reports: HostReport[] = [];
  for (const host of state.hosts) {
    if (host.status !== 'running') continue;
    const stream = await deps.records.store.readStream(hostStream(host.hostId));
    const ended = stream
      .flatMap((e) => (e.type === 'UpgradeEnded' && e.data.campaignId === state.campaignId && e.data.attempt === host.attempts ? [e.data] : []))
      .at(-1);
    if (ended) {
      reports.push({ hostId: host.hostId, attempt: host.attempts, endState: ended.endState, cause: ended.cause, reason: ended.reason, settle: ended.settle });
      continue;
    }
    const workflowId = hostWorkflowId(host.hostId);
    const description = await describeOrUndefined(deps.temporal, workflowId);
    // The run under the host's id may be another thing (an operator's action): only an upgrade's run speaks for the upgrade.
    const upgrade = description?.type === 'hostUpgradeWorkflow' ? description : undefined;
    if (upgrade?.status.name === 'RUNNING') continue;
    const began = stream.some((e) => e.type === 'UpgradeStarted' && e.data.campaignId === state.campaignId && e.data.attempt === host.attempts);
    if (!began) {
      reports.push({
        hostId: host.hostId,
        attempt: host.attempts,
        endState: 'untouched',
        cause: 'failed',
        reason: `its upgrade never began (the campaign's workflow ended first): nothing was done to the host`,
        settle: null,
      });
      continue;
    }
    reports.push({
      hostId: host.hostId,
      attempt: host.attempts,
      endState: 'needs-attention',
      cause: 'failed',
      reason: `its upgrade workflow ${workflowId} is ${upgrade?.status.name.toLowerCase() ?? 'gone'} and never recorded how it ended`,
      settle: `observe the host (\`bankswitch host observe ${host.hostId}\`), then settle it with \`bankswitch host rollback|abandon|commit ${host.hostId}\``,
    });
  }
  return reports;
}

export const isCampaignEnded = (view: CampaignView): boolean => !view.running;
