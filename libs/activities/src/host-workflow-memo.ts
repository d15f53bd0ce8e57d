// Which start of a host's upgrade workflow is which. The campaign starts host workflows
// from an activity (startHostWorkflows), and Temporal retries activities: a retry that
// meets the workflow its own earlier attempt started must count it as started, not as a
// host held by another operation. Each start carries its campaign and attempt in the
// workflow's memo, and these pure functions read a description against them.
import type { HostOutcome } from './contracts';

/** What a host's upgrade workflow carries in its memo: the campaign and host attempt that started it. */
export interface HostStartMemo {
  readonly campaignId: string;
  readonly attempt: number;
}

export const hostStartMemo = (campaignId: string, attempt: number): HostStartMemo => ({ campaignId, attempt });

/** The memo of a workflow is this start's: same campaign, same attempt of the host. */
export function isStartOf(memo: Readonly<Record<string, unknown>> | undefined, expected: HostStartMemo): boolean {
  return memo?.campaignId === expected.campaignId && memo.attempt === expected.attempt;
}

/** What describe() says of the workflow that holds a host's workflow id now (undefined: none, or gone after retention). */
export interface HostWorkflowDescription {
  /** Temporal's status name: RUNNING, COMPLETED, FAILED, CANCELLED, TERMINATED, TIMED_OUT, CONTINUED_AS_NEW. */
  readonly status: string;
  readonly type: string;
  readonly runId?: string;
  readonly memo?: Readonly<Record<string, unknown>>;
  /** Why it closed, when the close says (a termination's reason, a failure's message). */
  readonly closeDetail?: string;
}

/** How the watch reads one running host: still running, ended with its outcome, or ended without a result. */
export type HostWorkflowFate = { readonly kind: 'running' } | { readonly kind: 'completed' } | { readonly kind: 'ended'; readonly how: string };

const STATUS_WORDS: Readonly<Record<string, string>> = {
  FAILED: 'failed',
  CANCELLED: 'cancelled',
  TERMINATED: 'terminated',
  TIMED_OUT: 'timed out',
  CONTINUED_AS_NEW: 'continued as new',
  COMPLETED: 'completed',
};

/**
 * Whether the upgrade a campaign started (`expected`, of type `workflowType`) still runs.
 * A workflow without our memo but of the upgrade's type was started as a child by a run
 * before the memo existed: it counts as ours. Anything else under the id (an operator's
 * action, another campaign's upgrade) means ours ended before it: without a result here.
 */
export function fateOf(description: HostWorkflowDescription | undefined, expected: HostStartMemo, workflowType: string): HostWorkflowFate {
  if (!description) return { kind: 'ended', how: 'its workflow is gone' };
  const ours = description.type === workflowType && (description.memo?.campaignId === undefined || isStartOf(description.memo, expected));
  if (!ours) return { kind: 'ended', how: `another workflow (${description.type}) holds the host's workflow id now` };
  if (description.status === 'RUNNING') return { kind: 'running' };
  if (description.status === 'COMPLETED') return { kind: 'completed' };
  const words = STATUS_WORDS[description.status] ?? description.status.toLowerCase();
  return { kind: 'ended', how: description.closeDetail ? `${words}: ${description.closeDetail}` : words };
}

/** A host's upgrade that ended without telling its campaign how: it needs attention (the words the campaign used for a child that did so). */
export function endedWithoutResult(host: { hostId: string; attempt: number; workflowId: string }, how: string): HostOutcome {
  return {
    hostId: host.hostId,
    attempt: host.attempt,
    endState: 'needs-attention',
    cause: 'failed',
    reason: `its upgrade workflow ${host.workflowId} ended without a result (${how}); the host's banks are as last recorded in its history`,
    settle: `observe the host (\`bankswitch host observe ${host.hostId}\`), then settle it with \`bankswitch host rollback|abandon|commit ${host.hostId}\``,
  };
}
