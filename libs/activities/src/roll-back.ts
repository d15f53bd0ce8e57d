import { activityKey, metadataFor } from './activity-context';
import type { HostStep } from './contracts';
import type { ActivityDependencies } from './ports';
import { recordBankCommand } from './record-bank-command';

/**
 * Shift+R by API: the booted (new) bank is invalidated and the host reboots into the
 * previous image. The host acts first and the history follows, so a refused rollback
 * is never recorded as done; a retry whose first attempt got through (the host has a
 * new boot id) only records.
 */
export async function rollBackHost(deps: ActivityDependencies, input: HostStep & { reason: string; bootId: string }): Promise<{ bootIdBefore: string }> {
  const driver = await deps.driverFor(input.hostId);
  const host = await driver.getState().catch(() => undefined);
  if (!host || host.bootId === input.bootId) await driver.rollBack();
  await recordBankCommand(
    deps.history,
    input.hostId,
    { type: 'RollBack', data: { reason: input.reason } },
    { idempotencyKey: activityKey(), metadata: metadataFor(input) },
  );
  return { bootIdBefore: input.bootId };
}
