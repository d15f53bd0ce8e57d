import { ActivityFailure, ApplicationFailure, ChildWorkflowFailure, TerminatedFailure, TimeoutFailure } from '@temporalio/workflow';

/** The most useful plain-words message inside a Temporal failure chain. */
export function failureText(error: unknown): string {
  const current = innermost(error);
  if (current instanceof ApplicationFailure) return current.message;
  if (current instanceof TimeoutFailure) return `timed out (${current.timeoutType})`;
  if (current instanceof TerminatedFailure) return `terminated${current.message && current.message !== 'Workflow execution terminated' ? `: ${current.message}` : ''}`;
  if (current instanceof Error) return current.message;
  return String(current);
}

/** The ApplicationFailure type inside the chain (e.g. 'HostDidNotReturn'), if any. */
export function failureType(error: unknown): string | undefined {
  const current = innermost(error);
  return current instanceof ApplicationFailure ? (current.type ?? undefined) : undefined;
}

function innermost(error: unknown): unknown {
  let current: unknown = error;
  while ((current instanceof ActivityFailure || current instanceof ChildWorkflowFailure) && current.cause) current = current.cause;
  return current;
}
