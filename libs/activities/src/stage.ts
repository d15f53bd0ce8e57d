import { createHash } from 'node:crypto';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { hostBanksFromBootCfgs } from '@bankswitch/banks';
import { activityKey, metadataFor } from './activity-context';
import type { HostStep, TargetImage } from './contracts';
import type { ActivityDependencies } from './ports';
import { recordBankCommand } from './record-bank-command';

export async function stageImage(deps: ActivityDependencies, input: HostStep & { target: TargetImage }): Promise<void> {
  const payload = await deps.readImage(input.target.payload);
  const digest = createHash('sha256').update(payload).digest('hex');
  if (digest !== input.target.sha256) {
    throw ApplicationFailure.create({
      type: 'InvalidInput',
      nonRetryable: true,
      message: `image ${input.target.payload} has sha256 ${digest}, but the campaign expects ${input.target.sha256}: fix target.sha256 or the file`,
    });
  }
  const driver = await deps.driverFor(input.hostId);
  Context.current().heartbeat('staging');
  const before = await driver.getState();
  const alternate = before.bootedBank === 0 ? 1 : 0;
  // A retried activity finds the image already there: staging again would only cost time.
  const banks = hostBanksFromBootCfgs(before.banks[0].bootCfg, before.banks[1].bootCfg, before.bootedBank);
  const alreadyStaged = !before.incompleteStage && before.banks[alternate].imageSha256 === digest && banks.banks[alternate].bootstate === 'UPGRADING';
  if (!alreadyStaged) await driver.stageImage({ build: input.target.build, payload, sha256: digest }, { timeoutMs: 120_000 });
  await recordBankCommand(
    deps.history,
    input.hostId,
    { type: 'StageImage', data: { build: input.target.build, sha256: digest } },
    { idempotencyKey: activityKey(), metadata: metadataFor(input) },
  );
}
