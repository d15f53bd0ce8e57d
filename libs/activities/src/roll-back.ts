import { Context } from '@temporalio/activity';
import { HostUnreachableError, type HostState } from '@bankswitch/host-driver';
import { activityKey, metadataFor } from './activity-context';
import type { HostStep } from './contracts';
import { decideAndAct } from './host-record';
import type { ActivityDependencies } from './ports';

/**
 * Shift+R by API: the booted (new) bank is invalidated and the host reboots into the
 * previous image, once the decider accepted it (a previous image is there). Never twice:
 * a retry whose first attempt got through finds the host rebooting or on a new boot id,
 * and only records what was done.
 */
export async function rollBackHost(deps: ActivityDependencies, input: HostStep & { reason: string; bootId: string }): Promise<{ bootIdBefore: string }> {
  const driver = await deps.driverFor(input.hostId);
  let host: HostState | null;
  try {
    host = await driver.getState();
  } catch (error) {
    // A first attempt must see the host; a retry that cannot has rolled it back already.
    if (!(error instanceof HostUnreachableError) || Context.current().info.attempt === 1) throw error;
    host = null;
  }
  await decideAndAct({ history: deps.history, hostId: input.hostId, key: activityKey(), metadata: metadataFor(input) }, host, {
    command: { type: 'RollBack', data: { reason: input.reason } },
    alreadyDone: (h) => h.bootId !== input.bootId,
    act: () => driver.rollBack(),
  });
  return { bootIdBefore: input.bootId };
}
