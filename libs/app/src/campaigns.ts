// Campaign commands and queries over Temporal: launch (idempotent by campaign id),
// list, status, pause/resume/cancel (updates), retry (update while running, a retry run
// with the carried state once it has ended).
import { WorkflowFailedError, type Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  campaignWorkflow,
  campaignWorkflowId,
  cancelUpdate,
  isFailed,
  pauseUpdate,
  progressOf,
  progressQuery,
  resumeUpdate,
  retryHostsUpdate,
  type CampaignInput,
  type CampaignProgress,
  type CampaignState,
} from '@bankswitch/workflows';
import { campaignInputFromPlan } from './campaign-input';
import { ConflictError, InvalidInputError, NotFoundError, UnavailableError } from './errors';
import type { PlanOutput } from './spec-plan';
import { describeOrUndefined, refusal, startInput, unavailable } from './temporal';

/** How the campaign stands: its own status, or how its workflow ended when it did not return one. */
export type CampaignOutcome = CampaignProgress['status'] | 'failed' | 'terminated' | 'timed-out';

export interface CampaignView {
  readonly campaignId: string;
  readonly workflowId: string;
  readonly runId: string;
  readonly status: CampaignOutcome;
  /** The workflow is running (statuses running, paused, awaiting-approval). */
  readonly running: boolean;
  readonly startedAt: string;
  readonly closedAt?: string;
  readonly targetBuild?: string;
  readonly progress?: CampaignProgress;
  /** Why the workflow failed or was terminated, when it did not return a state. */
  readonly error?: string;
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
  readonly runId?: string;
  readonly progress?: CampaignProgress;
}

export interface CampaignDeps {
  readonly temporal: Client;
  readonly taskQueue: string;
}

const notFound = (id: string) => new NotFoundError(`no campaign "${id}": list campaigns with \`bankswitch campaign list\``);

export async function launchCampaign(deps: CampaignDeps, planned: PlanOutput, options: { by: string; specDir?: string }): Promise<LaunchResult> {
  const campaignId = planned.campaignId;
  const workflowId = campaignWorkflowId(campaignId);
  if (planned.plan.waves.length === 0) throw new InvalidInputError(`campaign ${campaignId} has no host to upgrade (${planned.plan.warnings.map((w) => w.message).join('; ')})`);
  const existing = await describeOrUndefined(deps.temporal, workflowId);
  if (existing) return alreadyLaunched(deps, campaignId, existing.runId, existing.status.name);
  const input = campaignInputFromPlan(planned.spec, planned.plan, { campaignId, operator: options.by, specDir: options.specDir });
  try {
    const handle = await deps.temporal.workflow.start(campaignWorkflow, {
      taskQueue: deps.taskQueue,
      workflowId,
      args: [input],
      // A campaign id is launched once; later runs are retry runs (`campaign retry`).
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
    return { outcome: 'started', campaignId, workflowId, runId: handle.firstExecutionRunId, message: `campaign ${campaignId} started (workflow ${workflowId})` };
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw unavailable(error);
    const now = await describeOrUndefined(deps.temporal, workflowId);
    if (!now) throw error;
    return alreadyLaunched(deps, campaignId, now.runId, now.status.name);
  }
}

/** The answer to a second launch of this campaign id, or undefined when it was never launched. */
export async function launchedBefore(deps: CampaignDeps, campaignId: string): Promise<LaunchResult | undefined> {
  const existing = await describeOrUndefined(deps.temporal, campaignWorkflowId(campaignId));
  return existing ? alreadyLaunched(deps, campaignId, existing.runId, existing.status.name) : undefined;
}

async function alreadyLaunched(deps: CampaignDeps, campaignId: string, runId: string, status: string): Promise<LaunchResult> {
  const workflowId = campaignWorkflowId(campaignId);
  if (status === 'RUNNING') {
    return { outcome: 'already-running', campaignId, workflowId, runId, message: `campaign ${campaignId} is already running (workflow ${workflowId}); nothing was started. Follow it with \`bankswitch campaign watch ${campaignId}\`` };
  }
  const view = await campaignStatus(deps, campaignId);
  throw new ConflictError(
    `campaign ${campaignId} was already launched and has ended (${view.status}); it is not started twice. ` +
      `Retry its failed hosts with \`bankswitch campaign retry ${campaignId}\`, or give the spec a new name to start a new campaign`,
  );
}

export async function campaignStatus(deps: CampaignDeps, campaignId: string): Promise<CampaignView> {
  const workflowId = campaignWorkflowId(campaignId);
  const description = await describeOrUndefined(deps.temporal, workflowId);
  if (!description) throw notFound(campaignId);
  const handle = deps.temporal.workflow.getHandle<typeof campaignWorkflow>(workflowId, description.runId);
  const base = {
    campaignId,
    workflowId,
    runId: description.runId,
    startedAt: description.startTime.toISOString(),
    closedAt: description.closeTime?.toISOString(),
  };
  const input = await startInput<CampaignInput>(deps.temporal, workflowId, description.runId);
  if (description.status.name === 'RUNNING') {
    const progress = await handle.query(progressQuery).catch((error: unknown) => {
      throw new UnavailableError(`campaign ${campaignId} is running but did not answer the progress query (${(error as Error).message}); is a worker polling task queue ${deps.taskQueue}?`);
    });
    return { ...base, status: progress.status, running: true, targetBuild: input.target.build, progress };
  }
  try {
    const state = await handle.result();
    return { ...base, status: state.status, running: false, targetBuild: input.target.build, progress: progressOf(state, input) };
  } catch (error) {
    if (!(error instanceof WorkflowFailedError)) throw unavailable(error);
    const status = description.status.name === 'TERMINATED' ? 'terminated' : description.status.name === 'TIMED_OUT' ? 'timed-out' : 'failed';
    return { ...base, status, running: false, targetBuild: input.target.build, error: error.cause?.message ?? error.message };
  }
}

export async function listCampaigns(deps: CampaignDeps, options: { limit?: number } = {}): Promise<CampaignView[]> {
  const latest = new Map<string, { workflowId: string; startTime: Date }>();
  const query = `WorkflowType = 'campaignWorkflow' AND TaskQueue = '${deps.taskQueue.replace(/'/g, "\\'")}'`;
  try {
    for await (const info of deps.temporal.workflow.list({ query })) {
      const known = latest.get(info.workflowId);
      if (!known || known.startTime < info.startTime) latest.set(info.workflowId, { workflowId: info.workflowId, startTime: info.startTime });
    }
  } catch (error) {
    throw unavailable(error);
  }
  const newest = [...latest.values()].sort((a, b) => b.startTime.getTime() - a.startTime.getTime()).slice(0, options.limit ?? 50);
  const prefix = campaignWorkflowId('');
  return Promise.all(newest.map((w) => campaignStatus(deps, w.workflowId.slice(prefix.length))));
}

type Action = 'pause' | 'resume' | 'cancel';
const updates = { pause: pauseUpdate, resume: resumeUpdate, cancel: cancelUpdate } as const;

export async function actOnCampaign(deps: CampaignDeps, campaignId: string, action: Action, options: { by: string; reason?: string }): Promise<CampaignProgress> {
  const workflowId = campaignWorkflowId(campaignId);
  const description = await describeOrUndefined(deps.temporal, workflowId);
  if (!description) throw notFound(campaignId);
  if (description.status.name !== 'RUNNING') {
    const view = await campaignStatus(deps, campaignId);
    const hint = view.status === 'halted' || view.status === 'completed' || view.status === 'cancelled' ? `; to upgrade its failed hosts again use \`bankswitch campaign retry ${campaignId}\`` : '';
    throw new ConflictError(`cannot ${action} campaign ${campaignId}: it has ended (${view.status})${hint}`);
  }
  try {
    return await deps.temporal.workflow.getHandle(workflowId).executeUpdate(updates[action], { args: [{ by: options.by, reason: options.reason }] });
  } catch (error) {
    throw refusal(error, `${action} of campaign ${campaignId}`);
  }
}

export async function retryCampaign(deps: CampaignDeps, campaignId: string, options: { by: string; hostIds?: readonly string[] }): Promise<RetryResult> {
  const workflowId = campaignWorkflowId(campaignId);
  const description = await describeOrUndefined(deps.temporal, workflowId);
  if (!description) throw notFound(campaignId);
  const hostIds = options.hostIds?.length ? options.hostIds : undefined;
  if (description.status.name === 'RUNNING') {
    try {
      const progress = await deps.temporal.workflow.getHandle(workflowId).executeUpdate(retryHostsUpdate, { args: [{ by: options.by, hostIds }] });
      return { mode: 'update', campaignId, hostIds: hostIds ?? [], progress };
    } catch (error) {
      throw refusal(error, `retry of campaign ${campaignId}`);
    }
  }
  const handle = deps.temporal.workflow.getHandle<typeof campaignWorkflow>(workflowId, description.runId);
  let last: CampaignState;
  try {
    last = await handle.result();
  } catch (error) {
    throw new ConflictError(`campaign ${campaignId} ended without a state to carry (${(error as Error).message}); launch a new campaign instead`);
  }
  const retryable = last.hosts.filter((h) => isFailed(h.status) || h.status === 'cancelled');
  for (const id of hostIds ?? []) {
    const host = last.hosts.find((h) => h.hostId === id);
    if (!host) throw new InvalidInputError(`host ${id} is not part of campaign ${campaignId}`);
    if (!retryable.includes(host)) throw new ConflictError(`host ${id} is ${host.status} in campaign ${campaignId}, not failed: only failed or cancelled hosts can be retried`);
  }
  const chosen = hostIds ?? retryable.map((h) => h.hostId);
  if (chosen.length === 0) throw new ConflictError(`campaign ${campaignId} ended ${last.status} with no failed or cancelled host: nothing to retry`);
  const input = await startInput<CampaignInput>(deps.temporal, workflowId, description.runId);
  try {
    const run = await deps.temporal.workflow.start(campaignWorkflow, {
      taskQueue: deps.taskQueue,
      workflowId,
      args: [{ ...input, carried: last, retryHostIds: chosen, operator: options.by }],
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    });
    return { mode: 'retry-run', campaignId, hostIds: chosen, runId: run.firstExecutionRunId };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) throw new ConflictError(`campaign ${campaignId} is running again already (another retry started it); follow it with \`bankswitch campaign watch ${campaignId}\``);
    throw unavailable(error);
  }
}

export const isCampaignEnded = (view: CampaignView): boolean => !view.running;
