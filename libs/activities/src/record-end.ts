import { activityKey, metadataFor } from './activity-context';
import type { HostOutcome, HostStep, TargetImage } from './contracts';
import type { ActivityDependencies } from './ports';

/**
 * `UpgradeEnded` in the host's own stream: the end state its upgrade left it in, why,
 * and what would settle it. Retried until PostgreSQL takes it; appended once (the key),
 * without reading the history first: what it says does not depend on it.
 */
export async function recordUpgradeEnd(deps: ActivityDependencies, input: HostStep & { outcome: HostOutcome; target: TargetImage }): Promise<void> {
  const { outcome } = input;
  await deps.history.record(
    input.hostId,
    [
      {
        type: 'UpgradeEnded',
        data: {
          campaignId: input.campaignId,
          attempt: input.attempt,
          toBuild: input.target.build,
          endState: outcome.endState,
          cause: outcome.cause,
          reason: outcome.reason,
          failedStep: outcome.failedStep ?? null,
          bootLog: outcome.bootLog ?? [],
          settle: outcome.settle ?? null,
        },
      },
    ],
    { idempotencyKey: activityKey(), metadata: metadataFor(input) },
  );
}

/** `HostApprovalRequested` (no `by`) or `HostApprovalGranted` in the host's own stream: a pause point of its campaign's approvals. Appended once, nothing read first. */
export async function recordHostApproval(deps: ActivityDependencies, input: HostStep & { point: 'stage' | 'reboot' | 'commit'; granted: boolean; by?: string | null }): Promise<void> {
  const base = { campaignId: input.campaignId, attempt: input.attempt, point: input.point };
  await deps.history.record(
    input.hostId,
    [input.granted ? { type: 'HostApprovalGranted', data: { ...base, by: input.by ?? null } } : { type: 'HostApprovalRequested', data: base }],
    { idempotencyKey: activityKey(), metadata: metadataFor(input.granted && input.by ? { ...input, operator: input.by } : input) },
  );
}
