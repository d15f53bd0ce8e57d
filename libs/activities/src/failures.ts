import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import { isDatabaseUnavailable, StreamVersionConflictError } from '@bankswitch/event-store';
import { HostDriverError, HostIdentityMismatchError, HostRefusedError } from '@bankswitch/host-driver';

/**
 * Attempts an activity gets at a host that does not answer (or answers badly) before it
 * gives up; its workflow then settles the host. Temporal itself retries without limit,
 * so that an activity waiting for PostgreSQL waits as long as the database is away.
 */
export const HOST_ATTEMPTS = 5;

/**
 * Runs an activity body and turns what it throws into the failure Temporal should see:
 * - PostgreSQL unreachable, or a stale stream read: retryable, without limit (nothing is
 *   lost by waiting, and no event may be dropped);
 * - a host that refused, or answered as another host: final at once;
 * - a host that did not answer, and anything unforeseen: retried HOST_ATTEMPTS times;
 * - a cancellation its workflow asked for (seen at Context.sleep, or by a heartbeat): as
 *   it is, so that Temporal records the activity cancelled and the workflow sees a
 *   cancellation, not a failed step. (Other cancellations, e.g. the worker shutting
 *   down, stay retryable failures: the step is retried elsewhere.)
 */
export async function guarded<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    throw asActivityFailure(error);
  }
}

export function asActivityFailure(error: unknown): unknown {
  if (error instanceof ApplicationFailure) return error;
  if (error instanceof CancelledFailure && Context.current().cancellationDetails?.cancelRequested) return error;
  const message = error instanceof Error ? error.message : String(error);
  // A driver's error is about the host, whatever its cause: a host that reset the
  // connection (ECONNRESET in the cause) must not read as PostgreSQL being away, which
  // would retry it without limit instead of giving up and settling the host.
  if (error instanceof HostDriverError) return hostFailure(error, message);
  if (isDatabaseUnavailable(error)) {
    return ApplicationFailure.retryable(`PostgreSQL is not reachable (${firstLine(message)}); the step is retried until it is back`, 'DatabaseUnavailable');
  }
  if (error instanceof StreamVersionConflictError) return ApplicationFailure.retryable(message, 'StreamVersionConflict');
  return limitedRetry(message, 'UnexpectedError');
}

function hostFailure(error: HostDriverError, message: string): ApplicationFailure {
  if (error instanceof HostRefusedError || error instanceof HostIdentityMismatchError) return ApplicationFailure.nonRetryable(message, error.name);
  return limitedRetry(message, error.name);
}

function limitedRetry(message: string, type: string): ApplicationFailure {
  const attempt = Context.current().info.attempt;
  if (attempt >= HOST_ATTEMPTS) return ApplicationFailure.nonRetryable(`${message} (gave up after ${attempt} attempts)`, type);
  return ApplicationFailure.retryable(message, type);
}

function firstLine(text: string): string {
  return text.split('\n').find((line) => line.trim() !== '')?.trim().slice(0, 300) ?? text;
}
