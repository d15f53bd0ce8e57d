// Activity stubs for the host-upgrade workflow, each with explicit timeouts and retries.
import { proxyActivities } from '@temporalio/workflow';
import type { HostUpgradeActivities } from '@bankswitch/activities';
import type { HostUpgradeTimeouts } from './host-upgrade-input';

/**
 * Failures that retrying cannot fix: a host that refuses the request, answers with
 * another identity, or never came back. The workflow turns them into an outcome.
 */
export const NON_RETRYABLE_HOST_ERRORS = ['HostRefusedError', 'HostIdentityMismatchError', 'HostDidNotReturn', 'InvalidInput'];

const retry = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 5, nonRetryableErrorTypes: NON_RETRYABLE_HOST_ERRORS };

export function hostActivities(timeouts: HostUpgradeTimeouts) {
  const quick = proxyActivities<HostUpgradeActivities>({ startToCloseTimeout: '30s', retry });
  const staging = proxyActivities<HostUpgradeActivities>({
    startToCloseTimeout: timeouts.stageMs,
    heartbeatTimeout: '30s',
    retry,
  });
  const waiting = proxyActivities<HostUpgradeActivities>({
    // The activity gives up by itself after timeouts.rebootMs; this bound is a backstop.
    startToCloseTimeout: timeouts.rebootMs + 60_000,
    // It heartbeats every poll; a silent 10 s means its worker died: retry elsewhere.
    heartbeatTimeout: '10s',
    retry: { ...retry, maximumAttempts: 3 },
  });
  const verifying = proxyActivities<HostUpgradeActivities>({ startToCloseTimeout: timeouts.verifyMs, retry });
  return {
    precheckHost: quick.precheckHost,
    stageImage: staging.stageImage,
    rebootHost: quick.rebootHost,
    awaitHostBoot: waiting.awaitHostBoot,
    verifyHost: verifying.verifyHost,
    commitHost: quick.commitHost,
    rollBackHost: quick.rollBackHost,
    settleCancelledUpgrade: waiting.settleCancelledUpgrade,
    recordHostOutcome: quick.recordHostOutcome,
  };
}
