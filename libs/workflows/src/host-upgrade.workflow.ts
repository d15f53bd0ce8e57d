// One host's A/B upgrade: precheck → stage → reboot → await boot → verify → commit,
// or roll back to the previous bank and confirm it booted. Resumes from the step the
// host shows it reached; a cancellation always ends in a recorded decision.
import {
  CancellationScope,
  getExternalWorkflowHandle,
  isCancellation,
  setHandler,
} from '@temporalio/workflow';
import type { BootObservation, HostOutcome, HostStep } from '@bankswitch/activities';
import { hostFinishedSignal, hostStepQuery } from './definitions';
import { failureText } from './failure-text';
import { hostActivities } from './host-activities';
import type { HostUpgradeInput } from './host-upgrade-input';

/** How far the host got, which decides what a cancellation must undo. */
type Phase = 'precheck' | 'staging' | 'staged' | 'rebooting' | 'booted-unverified' | 'rolling-back' | 'done';

export async function hostUpgradeWorkflow(input: HostUpgradeInput): Promise<HostOutcome> {
  const acts = hostActivities(input.timeouts);
  const step: HostStep = { hostId: input.hostId, campaignId: input.campaignId, wave: input.wave, attempt: input.attempt, operator: input.operator };
  let phase: Phase = 'precheck';
  setHandler(hostStepQuery, () => phase);

  let outcome: HostOutcome;
  try {
    outcome = await upgrade();
  } catch (error) {
    if (!isCancellation(error)) {
      outcome = { hostId: input.hostId, kind: 'failed', failedStep: phase, reason: `${phase}: ${failureText(error)}` };
    } else {
      outcome = await CancellationScope.nonCancellable(compensate);
    }
  }
  await CancellationScope.nonCancellable(async () => {
    await acts.recordHostOutcome({ ...step, outcome, target: input.target });
    if (input.parentWorkflowId) await tellParent(input.parentWorkflowId, outcome);
  });
  return outcome;

  async function upgrade(): Promise<HostOutcome> {
    const pre = await acts.precheckHost({ ...step, target: input.target, waiveRollbackImage: input.waiveRollbackImage });
    if (pre.kind === 'already-on-target') return { hostId: input.hostId, kind: 'already-on-target', reason: pre.detail };
    if (pre.kind === 'refused') return { hostId: input.hostId, kind: 'failed', failedStep: 'precheck', reason: `precheck: ${pre.reason}` };

    let observed: BootObservation | undefined;
    let bootId = pre.bootId;
    if (pre.resumeFrom === 'stage') {
      phase = 'staging';
      await acts.stageImage({ ...step, target: input.target });
    }
    if (pre.resumeFrom === 'stage' || pre.resumeFrom === 'reboot') {
      phase = 'staged';
      const { bootIdBefore } = await acts.rebootHost({ ...step, bootId });
      phase = 'rebooting';
      observed = await acts.awaitHostBoot({ ...step, previousBootId: bootIdBefore, target: input.target, timeoutMs: input.timeouts.rebootMs, purpose: 'upgrade' });
      bootId = observed.bootId;
      if (observed.fellBack) {
        phase = 'done';
        return { hostId: input.hostId, kind: 'fell-back', failedStep: 'boot', reason: `boot: ${observed.summary}`, bootLog: observed.bootLog };
      }
      if (!observed.onTarget) {
        phase = 'done';
        return { hostId: input.hostId, kind: 'failed', failedStep: 'boot', reason: `boot: ${observed.summary}`, bootLog: observed.bootLog };
      }
    }
    phase = 'booted-unverified';
    const verdict = await acts.verifyHost({ ...step, target: input.target, checks: input.checks });
    if (verdict.ok) {
      await acts.commitHost({ ...step, target: input.target });
      phase = 'done';
      return { hostId: input.hostId, kind: 'upgraded', reason: '' };
    }
    return rollBack(`verify: ${verdict.reason}`, verdict.bootLog, bootId);
  }

  async function rollBack(why: string, bootLog: readonly string[], bootId: string): Promise<HostOutcome> {
    phase = 'rolling-back';
    const { bootIdBefore } = await acts.rollBackHost({ ...step, reason: why, bootId });
    const back = await acts.awaitHostBoot({ ...step, previousBootId: bootIdBefore, target: input.target, timeoutMs: input.timeouts.rebootMs, purpose: 'rollback' });
    phase = 'done';
    if (back.onTarget) {
      return { hostId: input.hostId, kind: 'failed', failedStep: 'rollback', reason: `${why}; rollback did not take: ${back.summary}`, bootLog: [...bootLog, ...back.bootLog] };
    }
    return { hostId: input.hostId, kind: 'rolled-back', failedStep: 'verify', reason: `${why}; rolled back: ${back.summary}`, bootLog };
  }

  /**
   * A cancelled upgrade never leaves a host staged-but-unbooted or running an unverified
   * bank: a staged image is abandoned (INVALID), a booted new image is rolled back.
   */
  async function compensate(): Promise<HostOutcome> {
    const cancelled = (detail: string): HostOutcome => ({ hostId: input.hostId, kind: 'cancelled', failedStep: phase, reason: `cancelled during ${phase}: ${detail}` });
    if (phase === 'precheck') return cancelled('nothing had been changed on the host');
    if (phase === 'done') return cancelled('the host had already reached a decision');
    try {
      const { detail } = await acts.settleCancelledUpgrade({ ...step, target: input.target, timeoutMs: input.timeouts.rebootMs });
      return cancelled(detail);
    } catch (error) {
      return { hostId: input.hostId, kind: 'failed', failedStep: phase, reason: `cancelled during ${phase}, and undoing it failed: ${failureText(error)}` };
    }
  }
}

async function tellParent(parentWorkflowId: string, outcome: HostOutcome): Promise<void> {
  try {
    await getExternalWorkflowHandle(parentWorkflowId).signal(hostFinishedSignal, outcome);
  } catch {
    // The campaign has closed (cancelled or finished): the outcome is in the event store.
  }
}
