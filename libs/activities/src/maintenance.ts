import { ApplicationFailure } from '@temporalio/activity';
import { HostRefusedError, type VsanMode } from '@bankswitch/host-driver';
import { activityKey, metadataFor, withHeartbeat } from './activity-context';
import type { MaintenanceStep } from './contracts';
import type { ActivityDependencies } from './ports';

/**
 * Puts the host in maintenance mode before anything is written to it (its VMs are
 * evacuated first). A host that cannot get there in time is refused, final: nothing was
 * done to it. Returns whether this upgrade put it there (then it takes it out again).
 */
export async function enterMaintenanceMode(deps: ActivityDependencies, input: MaintenanceStep & { timeoutMs: number; vsanMode: VsanMode }): Promise<{ entered: boolean }> {
  const driver = await deps.driverFor(input.hostId);
  let changed: boolean;
  try {
    ({ changed } = await withHeartbeat('entering maintenance mode', () => driver.setMaintenanceMode({ enable: true, timeoutMs: input.timeoutMs, vsanMode: input.vsanMode })));
  } catch (error) {
    if (error instanceof HostRefusedError) throw ApplicationFailure.nonRetryable(error.reason, 'MaintenanceModeRefused');
    throw error;
  }
  // A retried activity whose first attempt got the host there finds it there: its key says so.
  const key = activityKey();
  const snapshot = await deps.history.load(input.hostId);
  if (snapshot.keys.has(key)) return { entered: true };
  if (!changed) return { entered: false };
  await deps.history.append(input.hostId, [{ type: 'MaintenanceModeEntered', data: { campaignId: input.campaignId, vsanMode: input.vsanMode } }], {
    expectedVersion: snapshot.version,
    idempotencyKey: key,
    metadata: metadataFor(input),
  });
  return { entered: true };
}

/** Takes the host out of maintenance mode once its upgrade (or an operator's rollback) is decided. */
export async function exitMaintenanceMode(deps: ActivityDependencies, input: MaintenanceStep): Promise<void> {
  const driver = await deps.driverFor(input.hostId);
  const { changed } = await driver.setMaintenanceMode({ enable: false });
  const key = activityKey();
  const snapshot = await deps.history.load(input.hostId);
  if (snapshot.keys.has(key) || (!changed && !snapshot.state.maintenanceMode)) return;
  await deps.history.append(input.hostId, [{ type: 'MaintenanceModeExited', data: { campaignId: input.campaignId } }], {
    expectedVersion: snapshot.version,
    idempotencyKey: key,
    metadata: metadataFor(input),
  });
}
