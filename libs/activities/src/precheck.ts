import { planUpgrade } from '@bankswitch/banks';
import { activityKey, metadataFor } from './activity-context';
import type { HostStep, PrecheckResult, TargetImage } from './contracts';
import { reconcile } from './host-record';
import { checkImageSignature } from './image-signature';
import type { ActivityDependencies } from './ports';

type Input = HostStep & { target: TargetImage; waiveUncommittedRunning: boolean };

/**
 * Reads the host, records what it shows when the history does not (first sight, drift),
 * and plans the upgrade from there: where it resumes, or why it is refused before
 * anything is written (the bank decider's rules, the image policies among them: an
 * image the worker's trusted keys do not vouch for, a downgrade not allowed). A host that
 * goes ahead gets `UpgradeStarted` in its history.
 */
export async function precheckHost(deps: ActivityDependencies, input: Input): Promise<PrecheckResult> {
  const driver = await deps.driverFor(input.hostId);
  const host = await driver.getState();
  const recording = { history: deps.history, hostId: input.hostId, key: activityKey(), metadata: metadataFor(input) };
  const snapshot = await reconcile(recording, host, await deps.history.load(input.hostId));
  const alternate = host.banks[host.bootedBank === 0 ? 1 : 0];
  const plan = planUpgrade(
    snapshot.state,
    input.target,
    { stagedSha256: alternate.imageSha256, incompleteStage: host.incompleteStage !== null },
    {
      waiveUncommittedRunning: input.waiveUncommittedRunning,
      signature: checkImageSignature(input.target.sha256, input.target.signature, deps.trustedImageKeys ?? []),
      ...(input.target.allowDowngrade ? { allowDowngrade: input.target.allowDowngrade } : {}),
    },
  );
  if (plan.kind !== 'ready') return plan;
  const key = activityKey('started');
  if (!snapshot.keys.has(key)) {
    await deps.history.append(
      input.hostId,
      [{ type: 'UpgradeStarted', data: { campaignId: input.campaignId, attempt: input.attempt, fromBuild: host.runningBuild, toBuild: input.target.build, resumeFrom: plan.resumeFrom, skipped: plan.skipped } }],
      { expectedVersion: snapshot.version, idempotencyKey: key, metadata: metadataFor(input) },
    );
  }
  return { ...plan, bootId: host.bootId, bootedBank: host.bootedBank, runningBuild: host.runningBuild, maintenanceMode: host.maintenanceMode };
}
