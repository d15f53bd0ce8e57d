// An operator's action on one host (rollback, abandon, commit, observe), run under the
// host's workflow id: while an upgrade or another action holds the host, it cannot start.
import type { HostActionRequest, HostActionResult } from '@bankswitch/activities';
import { hostActivities } from './host-activities';

export async function hostActionWorkflow(request: HostActionRequest): Promise<HostActionResult> {
  const acts = hostActivities({ stageMs: 60_000, rebootMs: request.rebootTimeoutMs, verifyMs: 60_000 });
  return acts.takeHostAction(request);
}
