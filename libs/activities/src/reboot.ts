import type { HostStep } from './contracts';
import type { ActivityDependencies } from './ports';

/**
 * Reboots the host unless it already rebooted since `bootId` (a retried activity whose
 * first attempt got through): a second reboot of a freshly booted image would make the
 * loader give up on it.
 */
export async function rebootHost(deps: ActivityDependencies, input: HostStep & { bootId: string }): Promise<{ bootIdBefore: string }> {
  const driver = await deps.driverFor(input.hostId);
  const state = await driver.getState();
  if (state.bootId !== input.bootId) return { bootIdBefore: input.bootId };
  const accepted = await driver.reboot();
  return { bootIdBefore: accepted.previousBootId };
}
