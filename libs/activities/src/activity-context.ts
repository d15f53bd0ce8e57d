import { Context } from '@temporalio/activity';
import type { EventMetadata } from './ports';
import type { HostStep } from './contracts';

/**
 * The idempotency key of the running activity: the same for every attempt of one
 * activity execution, so a retried activity appends its events once.
 */
export function activityKey(suffix = ''): string {
  const info = Context.current().info;
  const run = info.workflowExecution;
  return `${run?.workflowId ?? 'standalone'}/${run?.runId ?? '-'}/${info.activityId}${suffix ? `/${suffix}` : ''}`;
}

export function metadataFor(step: Pick<HostStep, 'campaignId' | 'operator'>, extra: Partial<EventMetadata> = {}): EventMetadata {
  const info = Context.current().info;
  return {
    campaignId: step.campaignId,
    workflowId: info.workflowExecution?.workflowId,
    runId: info.workflowExecution?.runId,
    activity: `${info.activityType}#${info.activityId}`,
    operator: step.operator,
    // All events of one campaign correlate. The causation id is set at append time to
    // the append's idempotency key (the activity execution or boot that caused it).
    correlationId: step.campaignId,
    ...extra,
  };
}
