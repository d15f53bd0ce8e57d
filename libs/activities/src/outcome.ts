import { activityKey, metadataFor } from './activity-context';
import type { HostOutcome, HostStep, TargetImage } from './contracts';
import type { ActivityDependencies } from './ports';

/** The host's outcome in its campaign's stream, with the reason and boot log of a failure. */
export async function recordHostOutcome(deps: ActivityDependencies, input: HostStep & { outcome: HostOutcome; target: TargetImage }): Promise<void> {
  const snapshot = await deps.history.load(input.hostId);
  await deps.history.recordHostOutcome(
    input.campaignId,
    { hostId: input.hostId, wave: input.wave, toBuild: input.target.build, attempt: input.attempt, outcome: input.outcome, bank: snapshot.state.bootedBank },
    { idempotencyKey: activityKey(), metadata: metadataFor(input) },
  );
}
