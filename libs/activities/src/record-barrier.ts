import { activityKey, metadataFor } from './activity-context';
import type { HostStep } from './contracts';
import type { ActivityDependencies } from './ports';

/** What a host's upgrade records of its campaign's commit barrier: it reached it (no `released`), or the decision it was given. */
export type CommitBarrierRecord = HostStep & { barrier: string; released?: { decision: 'commit' | 'rollback'; reason: string } };

/** `CommitBarrierReached` or `CommitBarrierReleased` in the host's own stream, among its bank events. Appended once, nothing read first. */
export async function recordCommitBarrier(deps: ActivityDependencies, input: CommitBarrierRecord): Promise<void> {
  const base = { campaignId: input.campaignId, attempt: input.attempt, barrier: input.barrier };
  await deps.history.record(
    input.hostId,
    [input.released ? { type: 'CommitBarrierReleased', data: { ...base, ...input.released } } : { type: 'CommitBarrierReached', data: base }],
    { idempotencyKey: activityKey(), metadata: metadataFor(input) },
  );
}
