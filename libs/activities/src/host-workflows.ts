// The campaign's hosts' upgrade workflows, started and looked up through the Temporal
// client rather than as children of the campaign workflow: every child start, child end
// and report was an update of the one campaign history, which the server serializes, and
// that capped a campaign at about 4 host starts a second (docs/benchmarks.md, issue 13).
// Started this way, a host's start and end touch only its own history; the campaign's
// holds one activity per chunk of hosts, and hears each host's end by its report signal.
import { ApplicationFailure, Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type WorkflowClient } from '@temporalio/client';
import type { HostOutcome } from './contracts';
import { endedWithoutResult, fateOf, hostStartMemo, isStartOf, type HostWorkflowDescription } from './host-workflow-memo';
import type { ActivityDependencies } from './ports';

/** One host to start: its upgrade workflow's id and its one argument (HostUpgradeInput, the workflow code's type). */
export interface HostWorkflowToStart {
  readonly hostId: string;
  readonly workflowId: string;
  readonly attempt: number;
  readonly args: unknown;
}

export interface StartHostWorkflows {
  readonly campaignId: string;
  readonly taskQueue: string;
  readonly workflowType: string;
  readonly hosts: readonly HostWorkflowToStart[];
}

/** Started, or not (its workflow id is held by another running operation; `error` says what Temporal said). */
export type HostWorkflowStarted = { readonly hostId: string; readonly started: true } | { readonly hostId: string; readonly started: false; readonly error: string };

export interface FindEndedHostWorkflows {
  readonly campaignId: string;
  readonly workflowType: string;
  readonly hosts: readonly { readonly hostId: string; readonly workflowId: string; readonly attempt: number }[];
}

/** Lookups under way at once in one activity (each one short RPC to the frontend). */
const LOOKUPS_AT_ONCE = 20;

/**
 * Starts the hosts' upgrade workflows together. Idempotent: a host whose workflow an
 * earlier attempt of this activity started (its memo names this campaign and attempt)
 * counts as started, whether it still runs or already ended. Any other error fails the
 * activity after every start has settled, and Temporal retries it.
 */
export async function startHostWorkflows(deps: ActivityDependencies, input: StartHostWorkflows): Promise<HostWorkflowStarted[]> {
  const client = await workflowClientOf(deps);
  const context = Context.current();
  const retried = context.info.attempt > 1;
  // A heartbeat per start answered: a worker that dies mid-chunk is found out in seconds, not at the timeout.
  let answered = 0;
  const results = await Promise.allSettled(input.hosts.map((host) => startOne(client, input, host, retried).finally(() => context.heartbeat(++answered))));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<HostWorkflowStarted>).value);
}

async function startOne(client: WorkflowClient, input: StartHostWorkflows, host: HostWorkflowToStart, retried: boolean): Promise<HostWorkflowStarted> {
  const memo = hostStartMemo(input.campaignId, host.attempt);
  // An earlier attempt may have started it and the upgrade may be over already (a host
  // already on target takes a second): starting it again would upgrade the host twice.
  if (retried && isStartOf((await describe(client, host.workflowId))?.memo, memo)) return { hostId: host.hostId, started: true };
  try {
    await client.start(input.workflowType, { workflowId: host.workflowId, taskQueue: input.taskQueue, args: [host.args], memo: { ...memo } });
    return { hostId: host.hostId, started: true };
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    // Ours, from an earlier attempt whose answer was lost; else another operation holds the host.
    if (isStartOf((await describe(client, host.workflowId))?.memo, memo)) return { hostId: host.hostId, started: true };
    return { hostId: host.hostId, started: false, error: error.message };
  }
}

/**
 * Looks up the upgrade workflows of hosts that have not reported for a while, and returns
 * how those that are no longer running ended: the outcome of one that completed (its
 * report was lost), or needs attention for one that ended without a result (terminated,
 * timed out, failed, gone, or another workflow holds its id now).
 */
export async function findEndedHostWorkflows(deps: ActivityDependencies, input: FindEndedHostWorkflows): Promise<HostOutcome[]> {
  const client = await workflowClientOf(deps);
  const ended: HostOutcome[] = [];
  for (let i = 0; i < input.hosts.length; i += LOOKUPS_AT_ONCE) {
    const chunk = input.hosts.slice(i, i + LOOKUPS_AT_ONCE);
    const outcomes = await Promise.all(chunk.map((host) => endOf(client, input, host)));
    for (const outcome of outcomes) if (outcome) ended.push(outcome);
    Context.current().heartbeat(i);
  }
  return ended;
}

async function endOf(client: WorkflowClient, input: FindEndedHostWorkflows, host: FindEndedHostWorkflows['hosts'][number]): Promise<HostOutcome | undefined> {
  const description = await describe(client, host.workflowId, true);
  const fate = fateOf(description, hostStartMemo(input.campaignId, host.attempt), input.workflowType);
  if (fate.kind === 'running') return undefined;
  if (fate.kind === 'completed') {
    // That run's result, by its run id: another workflow may take the id meanwhile.
    const outcome = (await client.getHandle(host.workflowId, description?.runId).result()) as HostOutcome;
    return outcome?.hostId === host.hostId ? outcome : endedWithoutResult(host, 'completed without an outcome');
  }
  return endedWithoutResult(host, fate.how);
}

/** The workflow that holds the id now (its latest run), or undefined when there is none. */
async function describe(client: WorkflowClient, workflowId: string, withCloseDetail = false): Promise<HostWorkflowDescription | undefined> {
  try {
    const handle = client.getHandle(workflowId);
    const d = await handle.describe();
    const closed = d.status.name !== 'RUNNING' && d.status.name !== 'COMPLETED';
    return { status: d.status.name, type: d.type, runId: d.runId, memo: d.memo, ...(withCloseDetail && closed ? { closeDetail: await closeDetailOf(client, workflowId, d.runId) } : {}) };
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return undefined;
    throw error;
  }
}

/** Why a workflow closed, from its last event: a termination's reason or a failure's message (the default texts say nothing). */
async function closeDetailOf(client: WorkflowClient, workflowId: string, runId: string): Promise<string | undefined> {
  const history = await client.getHandle(workflowId, runId).fetchHistory();
  const last = history.events?.at(-1);
  const reason = last?.workflowExecutionTerminatedEventAttributes?.reason ?? last?.workflowExecutionFailedEventAttributes?.failure?.message ?? undefined;
  return reason && reason !== 'Workflow execution terminated' ? reason : undefined;
}

async function workflowClientOf(deps: ActivityDependencies): Promise<WorkflowClient> {
  if (!deps.workflowClient) throw ApplicationFailure.nonRetryable('this worker has no Temporal client for the activities (ActivityDependencies.workflowClient)', 'NoWorkflowClient');
  return deps.workflowClient();
}
