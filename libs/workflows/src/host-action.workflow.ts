// An operator's action on one host (rollback, abandon, commit, observe), run under the
// host's workflow id: while an upgrade or another action holds the host, it cannot start.
// A rollback reboots the host, so, like an upgrade, it runs in maintenance mode: the
// decider rules first (a refused rollback evacuates nothing), then the host enters
// maintenance mode, rolls back, and leaves it once it is decided.
import { patched } from '@temporalio/workflow';
import type { HostActionRequest, HostActionResult, MaintenanceStep } from '@bankswitch/activities';
import { failureText, failureType } from './failure-text';
import { hostActivities } from './host-activities';

const DEFAULT_MAINTENANCE = { timeoutMs: 30 * 60_000, vsanMode: 'ensureObjectAccessibility' } as const;

export async function hostActionWorkflow(request: HostActionRequest): Promise<HostActionResult> {
  const maintenance = request.maintenance ?? DEFAULT_MAINTENANCE;
  const acts = hostActivities({ stageMs: 60_000, rebootMs: request.rebootTimeoutMs, verifyMs: 60_000, maintenanceMs: maintenance.timeoutMs });
  if (request.action !== 'rollback' || !patched('rollback-in-maintenance-mode')) return acts.takeHostAction(request);

  const ruling = await acts.ruleOnHostAction(request);
  if (ruling.kind === 'refused') return ruling;
  const step: MaintenanceStep = { hostId: request.hostId, campaignId: null, operator: request.by };
  let entered: boolean;
  try {
    ({ entered } = await acts.enterMaintenanceMode({ ...step, ...maintenance, ...(ruling.maintenanceMode === undefined ? {} : { wasInMaintenance: ruling.maintenanceMode }) }));
  } catch (error) {
    if (failureType(error) !== 'MaintenanceModeRefused') throw error;
    return { kind: 'refused', hostId: request.hostId, action: request.action, reason: `${failureText(error)}; nothing was done to the host` };
  }
  const result = await acts.takeHostAction(request);
  // A host left needing attention stays out of service, as after an upgrade.
  if (!entered || (result.kind === 'done' && result.endState === 'needs-attention')) return result;
  try {
    await acts.exitMaintenanceMode(step);
    return result;
  } catch (error) {
    if (result.kind !== 'done') return result;
    return { ...result, detail: `${result.detail}; it could not be taken out of maintenance mode (${failureText(error)}): take it out by hand` };
  }
}
