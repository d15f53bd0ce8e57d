import { createHash } from 'node:crypto';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { HostState } from '@bankswitch/host-driver';
import { activityKey, metadataFor, withHeartbeat } from './activity-context';
import type { HostStep, TargetImage } from './contracts';
import { decideAndAct, observedBanks } from './host-record';
import { checkImageSignature } from './image-signature';
import type { ActivityDependencies } from './ports';

type Input = HostStep & { target: TargetImage; waiveUncommittedRunning: boolean };

/**
 * Writes the image into the inactive bank, once the bank decider accepted it against the
 * host's history: a host whose running bank is not committed (or unreadable) is refused
 * before a byte is written. A retried activity finds the image there and only records it.
 */
export async function stageImage(deps: ActivityDependencies, input: Input): Promise<void> {
  const payload = await deps.readImage(input.target.payload);
  const digest = createHash('sha256').update(payload).digest('hex');
  if (digest !== input.target.sha256) {
    throw ApplicationFailure.nonRetryable(
      `image ${input.target.payload} has sha256 ${digest}, but the campaign expects ${input.target.sha256}: fix target.sha256 or the file`,
      'InvalidInput',
    );
  }
  const driver = await deps.driverFor(input.hostId);
  const host = await driver.getState();
  await decideAndAct({ history: deps.history, hostId: input.hostId, key: activityKey(), metadata: metadataFor(input) }, host, {
    command: {
      type: 'StageImage',
      data: {
        build: input.target.build,
        sha256: digest,
        waiveUncommittedRunning: input.waiveUncommittedRunning,
        // The signature is checked against the digest of the bytes about to be written.
        signature: checkImageSignature(digest, input.target.signature, deps.trustedImageKeys ?? []),
        ...(input.target.allowDowngrade ? { allowDowngrade: input.target.allowDowngrade } : {}),
      },
    },
    alreadyDone: (h) => holdsStaged(h, input.target.build, digest),
    act: () => withHeartbeat('staging', () => driver.stageImage({ build: input.target.build, payload, sha256: digest }, { timeoutMs: stageTimeoutMs() })),
  });
}

/** The inactive bank holds this build, staged (UPGRADING), with this digest, completely written. */
export function holdsStaged(host: HostState, build: string, sha256: string): boolean {
  const alternate = host.bootedBank === 0 ? 1 : 0;
  const bank = observedBanks(host).banks[alternate];
  return host.incompleteStage === null && bank.build === build && bank.bootstate === 'UPGRADING' && host.banks[alternate].imageSha256 === sha256;
}

/** The upload and the update may take as long as the activity may (the campaign's stage timeout), less a margin to record the result. */
function stageTimeoutMs(): number {
  const allowed = Context.current().info.startToCloseTimeoutMs;
  return Math.max(30_000, (allowed ?? 10 * 60_000) - 15_000);
}
