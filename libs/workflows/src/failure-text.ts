import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/workflow';

/** The most useful plain-words message inside a Temporal failure chain. */
export function failureText(error: unknown): string {
  let current: unknown = error;
  while (current instanceof ActivityFailure && current.cause) current = current.cause;
  if (current instanceof ApplicationFailure) return current.message;
  if (current instanceof TimeoutFailure) return `timed out (${current.timeoutType})`;
  if (current instanceof Error) return current.message;
  return String(current);
}
