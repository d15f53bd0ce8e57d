import { Context } from '@temporalio/activity';
import type { EventMetadata } from './ports';

/**
 * The idempotency key of the running activity: the same for every attempt of one
 * activity execution, so a retried activity appends its events once.
 */
export function activityKey(suffix = ''): string {
  const info = Context.current().info;
  const run = info.workflowExecution;
  return `${run?.workflowId ?? 'standalone'}/${run?.runId ?? '-'}/${info.activityId}${suffix ? `/${suffix}` : ''}`;
}

export function metadataFor(step: { readonly campaignId?: string | null; readonly operator?: string }, extra: Partial<EventMetadata> = {}): EventMetadata {
  const info = Context.current().info;
  return {
    ...(step.campaignId ? { campaignId: step.campaignId, correlationId: step.campaignId } : {}),
    workflowId: info.workflowExecution?.workflowId,
    runId: info.workflowExecution?.runId,
    activity: `${info.activityType}#${info.activityId}`,
    ...(step.operator ? { operator: step.operator } : {}),
    ...extra,
  };
}

/**
 * Keeps Temporal informed while a long host call runs (and lets it cancel the activity),
 * from `everyMs` on: a call that ends sooner sends no heartbeat (each one is a request to
 * the Temporal server), well inside every heartbeat timeout the workflows set.
 */
export async function withHeartbeat<T>(details: unknown, work: () => Promise<T>, everyMs = 5_000): Promise<T> {
  const context = Context.current();
  const timer = setInterval(() => context.heartbeat(details), everyMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
