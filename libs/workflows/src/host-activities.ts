// Activity stubs for the host workflows, each with explicit timeouts. Retries have no
// attempt limit: an activity waiting for PostgreSQL waits as long as it is away, and
// the activities themselves give up on a host that does not answer (failures.ts in
// @bankswitch/activities). A cancelled workflow waits for a running activity to finish
// before it settles the host, so a stage or a commit never races its compensation.
import { ActivityCancellationType, proxyActivities, proxyLocalActivities, type ActivityOptions, type LocalActivityOptions } from '@temporalio/workflow';
import type { HostUpgradeActivities } from '@bankswitch/activities';
import type { HostUpgradeTimeouts } from './host-upgrade-input';

const retry = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s' };
const cancellationType = ActivityCancellationType.WAIT_CANCELLATION_COMPLETED;

/**
 * The boot wait heartbeats as it polls; a silent 30 s means its worker died: it runs again
 * elsewhere. Not shorter: each heartbeat is a write of the workflow's state in Temporal,
 * and each heartbeat timeout a timer task that reads it (with 10 s, a fifth of the
 * server's CPU at 1,000 hosts rebooting). The SDK sends at most one per 0.8 × this.
 */
export const BOOT_WAIT_HEARTBEAT_TIMEOUT = '30s';

/**
 * Runs that began with this marker run the quick steps (one host call or one append, 30 s
 * at most, no heartbeat) as local activities: in the worker that runs the workflow task,
 * recorded as one marker each, instead of an activity task through the server (three
 * history events and a workflow task more each). They are retried and idempotent alike.
 */
export const QUICK_STEPS_LOCAL_PATCH = 'host-quick-steps-as-local-activities';

export function hostActivities(timeouts: HostUpgradeTimeouts, options: { readonly quickStepsLocal: boolean } = { quickStepsLocal: false }) {
  /** Stubs for quick steps: local activities in runs that began with QUICK_STEPS_LOCAL_PATCH. */
  const quickSteps = (stepOptions: LocalActivityOptions & ActivityOptions) =>
    options.quickStepsLocal ? proxyLocalActivities<HostUpgradeActivities>(stepOptions) : proxyActivities<HostUpgradeActivities>(stepOptions);
  const quick = quickSteps({ startToCloseTimeout: '30s', retry, cancellationType });
  const exiting = quickSteps({ startToCloseTimeout: '60s', retry: { ...retry, maximumAttempts: 5 } });
  const staging = proxyActivities<HostUpgradeActivities>({ startToCloseTimeout: timeouts.stageMs, heartbeatTimeout: '30s', retry, cancellationType });
  const waiting = proxyActivities<HostUpgradeActivities>({
    // The activity gives up by itself after timeouts.rebootMs; this bound is a backstop.
    startToCloseTimeout: timeouts.rebootMs + 60_000,
    heartbeatTimeout: BOOT_WAIT_HEARTBEAT_TIMEOUT,
    retry,
    cancellationType,
  });
  // Health checks may take minutes; the heartbeat shows a dead worker within 30 s, not at the end of verifyMs.
  const verifying = proxyActivities<HostUpgradeActivities>({ startToCloseTimeout: timeouts.verifyMs, heartbeatTimeout: '30s', retry, cancellationType });
  // Settling waits for the host, then possibly for a rollback's reboot.
  const settling = proxyActivities<HostUpgradeActivities>({ startToCloseTimeout: 2 * timeouts.rebootMs + 120_000, heartbeatTimeout: '10s', retry });
  return {
    precheckHost: quick.precheckHost,
    // Entering waits for the host's VMs to be evacuated; it heartbeats meanwhile.
    enterMaintenanceMode: proxyActivities<HostUpgradeActivities>({ startToCloseTimeout: (timeouts.maintenanceMs ?? 30 * 60_000) + 60_000, heartbeatTimeout: '30s', retry, cancellationType }).enterMaintenanceMode,
    exitMaintenanceMode: exiting.exitMaintenanceMode,
    stageImage: staging.stageImage,
    rebootHost: quick.rebootHost,
    awaitHostBoot: waiting.awaitHostBoot,
    verifyHost: verifying.verifyHost,
    commitHost: quick.commitHost,
    rollBackHost: quick.rollBackHost,
    settleHost: settling.settleHost,
    recordUpgradeEnd: quick.recordUpgradeEnd,
    recordHostApproval: quick.recordHostApproval,
    recordCommitBarrier: quick.recordCommitBarrier,
    probeHost: proxyActivities<HostUpgradeActivities>({ startToCloseTimeout: '15s', retry: { ...retry, maximumAttempts: 2 } }).probeHost,
    ruleOnHostAction: quick.ruleOnHostAction,
    takeHostAction: settling.takeHostAction,
  };
}
