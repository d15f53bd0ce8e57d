import { activityKey, metadataFor } from './activity-context';
import type { HostStep, TargetImage } from './contracts';
import type { ActivityDependencies } from './ports';
import { recordBankCommand } from './record-bank-command';

/** Marks the booted new bank VALID on the host, then records it: the host now counts as upgraded. */
export async function commitHost(deps: ActivityDependencies, input: HostStep & { target: TargetImage }): Promise<void> {
  const driver = await deps.driverFor(input.hostId);
  const host = await driver.getState();
  const result = await driver.commit({ bank: host.bootedBank, build: input.target.build });
  await recordBankCommand(
    deps.history,
    input.hostId,
    { type: 'CommitBank', data: { bank: result.bank } },
    { idempotencyKey: activityKey(), metadata: metadataFor(input) },
  );
}
