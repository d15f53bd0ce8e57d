// Operator host actions (rollback, abandon, commit, observe): the commands operators use
// to settle a host that needs attention. Each runs as a workflow under the host's own
// workflow id, so one operation per host at a time: while an upgrade or another action
// holds the host, the action is refused with what holds it.
import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { HostActionResult } from '@bankswitch/activities';
import type { HostAction } from '@bankswitch/banks';
import { hostActionWorkflow, hostWorkflowId } from '@bankswitch/workflows';
import { ConflictError } from './errors';
import { describeOrUndefined, unavailable } from './temporal';

export type { HostAction };

export interface HostActionDeps {
  readonly temporal: Client;
  readonly taskQueue: string;
}

export interface HostActionOutcome {
  readonly hostId: string;
  readonly action: HostAction;
  readonly workflowId: string;
  /** The end state the action left the host in. */
  readonly endState: string;
  readonly detail: string;
  readonly settle?: string;
  readonly message: string;
}

/** How long a rollback's reboot may take before the action says the host needs attention. */
const ACTION_REBOOT_TIMEOUT_MS = 20 * 60_000;

export async function takeHostAction(
  deps: HostActionDeps,
  hostId: string,
  action: HostAction,
  options: { by: string; reason?: string; rebootTimeoutMs?: number },
): Promise<HostActionOutcome> {
  const workflowId = hostWorkflowId(hostId);
  const reason = options.reason ?? `${action} asked for by ${options.by}`;
  let result: HostActionResult;
  try {
    result = await deps.temporal.workflow.execute(hostActionWorkflow, {
      taskQueue: deps.taskQueue,
      workflowId,
      args: [{ hostId, action, reason, by: options.by, rebootTimeoutMs: options.rebootTimeoutMs ?? ACTION_REBOOT_TIMEOUT_MS }],
      // The host's workflow id is its lock: a running upgrade or action refuses this one.
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      workflowIdConflictPolicy: 'FAIL',
    });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      const running = await describeOrUndefined(deps.temporal, workflowId);
      const what = running?.type === 'hostActionWorkflow' ? 'another operator action' : 'an upgrade';
      throw new ConflictError(
        `host ${hostId} is busy: ${what} holds it (workflow ${workflowId} is running); wait for it to end, or cancel it with \`bankswitch host cancel ${hostId}\`, then try again`,
      );
    }
    throw unavailable(error);
  }
  if (result.kind === 'refused') throw new ConflictError(`${action} of host ${hostId} was refused: ${result.reason}`);
  const settle = result.settle ? ` To settle it: ${result.settle}.` : '';
  return {
    hostId,
    action,
    workflowId,
    endState: result.endState,
    detail: result.detail,
    ...(result.settle ? { settle: result.settle } : {}),
    message: `${action} of host ${hostId} done: ${result.endState} — ${result.detail}.${settle}`,
  };
}
