import { ApplicationFailure } from '@temporalio/activity';
import { HostRefusedError, type VsanMode } from '@bankswitch/host-driver';
import { activityKey, metadataFor, withHeartbeat } from './activity-context';
import type { MaintenanceStep } from './contracts';
import type { ActivityDependencies } from './ports';

/**
 * Puts the host in maintenance mode before anything is written to it (its VMs are
 * evacuated first). A host that cannot get there in time is refused, final: nothing was
 * done to it. Returns whether Bankswitch has it there (then it takes it out again): this
 * call put it there, or an earlier attempt did (the host was out when the upgrade first
 * looked, `wasInMaintenance: false`), or an earlier upgrade did and never took it out
 * (its history says so: a host that needed attention, retried).
 */
export async function enterMaintenanceMode(deps: ActivityDependencies, input: MaintenanceStep & { timeoutMs: number; vsanMode: VsanMode; wasInMaintenance?: boolean }): Promise<{ entered: boolean }> {
  const driver = await deps.driverFor(input.hostId);
  let changed: boolean;
  try {
    ({ changed } = await withHeartbeat('entering maintenance mode', () => driver.setMaintenanceMode({ enable: true, timeoutMs: input.timeoutMs, vsanMode: input.vsanMode })));
  } catch (error) {
    if (error instanceof HostRefusedError) throw ApplicationFailure.nonRetryable(error.reason, 'MaintenanceModeRefused');
    throw error;
  }
  const key = activityKey();
  const snapshot = await deps.history.load(input.hostId);
  if (snapshot.keys.has(key)) return { entered: true };
  // A retried attempt finds the host there already: it was out when the upgrade first looked, so the first attempt put it there (and died before recording it).
  const ours = changed || input.wasInMaintenance === false;
  if (ours && !snapshot.state.maintenanceMode) {
    await deps.history.append(input.hostId, [{ type: 'MaintenanceModeEntered', data: { campaignId: input.campaignId, vsanMode: input.vsanMode } }], {
      expectedVersion: snapshot.version,
      idempotencyKey: key,
      metadata: metadataFor(input),
    });
  }
  return { entered: ours || snapshot.state.maintenanceMode === true };
}

/** Takes the host out of maintenance mode once its upgrade (or an operator's rollback) is decided. */
export async function exitMaintenanceMode(deps: ActivityDependencies, input: MaintenanceStep): Promise<void> {
  const driver = await deps.driverFor(input.hostId);
  const { changed } = await driver.setMaintenanceMode({ enable: false });
  const key = activityKey();
  // This call took it out: recorded once, whatever the history says, so nothing needs reading.
  if (changed) return deps.history.record(input.hostId, [{ type: 'MaintenanceModeExited', data: { campaignId: input.campaignId } }], { idempotencyKey: key, metadata: metadataFor(input) });
  const snapshot = await deps.history.load(input.hostId);
  // Out already: recorded only when the history still has it in (an earlier attempt took it out and died before recording it).
  if (snapshot.keys.has(key) || !snapshot.state.maintenanceMode) return;
  await deps.history.append(input.hostId, [{ type: 'MaintenanceModeExited', data: { campaignId: input.campaignId } }], {
    expectedVersion: snapshot.version,
    idempotencyKey: key,
    metadata: metadataFor(input),
  });
}
