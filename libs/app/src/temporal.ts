// Small helpers over the Temporal client: describe without throwing, read a run's start
// input, and turn update refusals into the application's typed errors.
import { WorkflowUpdateFailedError, type Client, type WorkflowExecutionDescription } from '@temporalio/client';
import { WorkflowNotFoundError, arrayFromPayloads, defaultPayloadConverter } from '@temporalio/common';
import { ConflictError, UnavailableError } from './errors';

export async function describeOrUndefined(client: Client, workflowId: string): Promise<WorkflowExecutionDescription | undefined> {
  try {
    return await client.workflow.getHandle(workflowId).describe();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return undefined;
    throw unavailable(error);
  }
}

/** The input a run was started with (the first event of its history). */
export async function startInput<T>(client: Client, workflowId: string, runId: string): Promise<T> {
  const response = await client.workflowService.getWorkflowExecutionHistory({
    namespace: client.options.namespace,
    execution: { workflowId, runId },
    maximumPageSize: 1,
  });
  const started = response.history?.events?.[0]?.workflowExecutionStartedEventAttributes;
  const [input] = arrayFromPayloads(defaultPayloadConverter, started?.input?.payloads);
  if (!input) throw new UnavailableError(`could not read the input of workflow ${workflowId} (run ${runId}) from its history`);
  return input as T;
}

/** The workflow's validator (or handler) refused: its text says why. */
export function refusal(error: unknown, what: string): Error {
  if (error instanceof WorkflowUpdateFailedError) {
    const why = error.cause?.message ?? error.message;
    return new ConflictError(`${what} was refused: ${why}`);
  }
  if (error instanceof WorkflowNotFoundError) return new ConflictError(`${what} was refused: the workflow is no longer running`);
  return unavailable(error);
}

export function unavailable(error: unknown): Error {
  if (error instanceof Error && /UNAVAILABLE|ECONNREFUSED|DEADLINE_EXCEEDED/.test(error.message)) {
    return new UnavailableError(`Temporal did not answer (${error.message}); check TEMPORAL_ADDRESS and that the server is up`);
  }
  return error instanceof Error ? error : new Error(String(error));
}
