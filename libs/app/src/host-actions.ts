// Operator host actions (rollback, abandon, commit, observe): the commands operators use
// to settle a host that needs attention. Each runs as a workflow under the host's own
// workflow id, so one operation per host at a time: while an upgrade or another action
// holds the host, the action is refused with what holds it.
import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { HostActionResult } from '@bankswitch/activities';
import type { HostAction } from '@bankswitch/banks';
import { hostActionWorkflow, hostStepQuery, hostWorkflowId } from '@bankswitch/workflows';
import { createHostDriver, inventoryEntryOf } from '@bankswitch/host-driver';
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
  host: { id: string; name: string; address: string; driver: string; connection?: unknown },
  action: HostAction,
  options: { by: string; reason?: string; rebootTimeoutMs?: number },
): Promise<HostActionOutcome> {
  const hostId = host.id;
  const workflowId = hostWorkflowId(hostId);
  const reason = options.reason ?? `${action} asked for by ${options.by}`;
  const start = () =>
    deps.temporal.workflow.execute(hostActionWorkflow, {
      taskQueue: deps.taskQueue,
      workflowId,
      args: [{ hostId, action, reason, by: options.by, rebootTimeoutMs: options.rebootTimeoutMs ?? ACTION_REBOOT_TIMEOUT_MS }],
      // The host's workflow id is its lock: a running upgrade or action refuses this one.
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      workflowIdConflictPolicy: 'FAIL',
    });
  let result: HostActionResult;
  let endedWatch = false;
  try {
    try {
      result = await start();
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      // An upgrade that only watches an unreachable host gives way to the operator, once the host answers.
      if (!(await endWatch(deps, workflowId, host))) throw error;
      endedWatch = true;
      result = await start();
    }
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
  const watch = endedWatch ? ' (the upgrade that was watching the host for an answer gave way to this action)' : '';
  return {
    hostId,
    action,
    workflowId,
    endState: result.endState,
    detail: result.detail,
    ...(result.settle ? { settle: result.settle } : {}),
    message: `${action} of host ${hostId} done${watch}: ${result.endState} — ${result.detail}.${settle}`,
  };
}

/**
 * Cancels the host's upgrade if all it does is watch for the host to answer (its end,
 * needs attention, is recorded already), and waits for it to close. False when the
 * workflow does something else, which the operator must not interrupt unasked.
 */
async function endWatch(deps: HostActionDeps, workflowId: string, host: { id: string; name: string; address: string; driver: string; connection?: unknown }): Promise<boolean> {
  const handle = deps.temporal.workflow.getHandle(workflowId);
  const step = await handle.query(hostStepQuery).catch(() => undefined);
  if (step !== 'watching') return false;
  const driver = createHostDriver(inventoryEntryOf(host));
  const answers = await driver
    .getState({ timeoutMs: 3_000 })
    .then(() => true)
    .catch(() => false)
    .finally(() => driver.close?.());
  if (!answers) {
    throw new ConflictError(
      `host ${host.id} does not answer: nothing was done. Its upgrade (workflow ${workflowId}) watches it and settles it as soon as it answers; bring it back (check its console, or power-cycle it)`,
    );
  }
  await handle.cancel();
  for (let i = 0; i < 100; i++) {
    const description = await describeOrUndefined(deps.temporal, workflowId);
    if (description?.status.name !== 'RUNNING') return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}
