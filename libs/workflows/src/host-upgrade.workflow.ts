// One host's A/B upgrade: precheck → stage → reboot → await boot → verify → commit, or
// roll back to the previous bank and confirm it booted. Resumes from the step the host
// shows it reached. Whatever stops it (a failed step, a cancellation), the host is
// settled and ends in one of the host end states, reported to the campaign first (a
// signal needs no database) and then recorded in the host's history.
import { CancellationScope, condition, getExternalWorkflowHandle, isCancellation, patched, setHandler, sleep } from '@temporalio/workflow';
import type { HostEndCause } from '@bankswitch/banks';
import type { ApprovalPoint } from '@bankswitch/campaign';
import type { HostOutcome, HostStep } from '@bankswitch/activities';
import { approveHostSignal, hostAwaitingApprovalSignal, hostAwaitingCommitSignal, hostFinishedSignal, hostStepQuery, releaseCommitBarrierSignal, type CommitBarrierRelease } from './definitions';
import { failureText, failureType } from './failure-text';
import { QUICK_STEPS_LOCAL_PATCH, hostActivities } from './host-activities';
import type { HostUpgradeInput } from './host-upgrade-input';

/** Marks host runs that leave their end's report to the event log when their campaign reads it there (HostUpgradeInput.reportEndBy). */
const ENDS_FROM_LOG_PATCH = 'host-end-reported-through-log';

/** How far the upgrade got: what settling it must look at. */
type Phase = 'precheck' | 'entering-maintenance' | 'staging' | 'staged' | 'rebooting' | 'booted-unverified' | 'committing' | 'rolling-back' | 'settling' | 'watching' | 'done';

const DEFAULT_WATCH_MS = 60 * 60_000;
/**
 * The campaign times a commit barrier out; a host waits this much longer only in case the
 * campaign is gone, then rolls back by itself. Long, because a host that gives up while its
 * campaign still decides "commit" (late, e.g. with PostgreSQL away) would split the barrier,
 * while waiting uncommitted costs nothing.
 */
const BARRIER_BACKSTOP_MS = 60 * 60_000;

/** A phase in an operator's words ("cancelled during verification"). */
const PHASE_WORDS: Readonly<Record<Phase, string>> = {
  precheck: 'the precheck',
  'entering-maintenance': 'entering maintenance mode',
  staging: 'staging',
  staged: 'the reboot into the staged image',
  rebooting: 'the reboot',
  'booted-unverified': 'verification',
  committing: 'the commit',
  'rolling-back': 'the rollback',
  settling: 'settling',
  watching: 'the watch',
  done: 'the end',
};

export async function hostUpgradeWorkflow(input: HostUpgradeInput): Promise<HostOutcome> {
  const maintenance = input.maintenance ?? { timeoutMs: 30 * 60_000, vsanMode: 'ensureObjectAccessibility' as const };
  const acts = hostActivities({ ...input.timeouts, maintenanceMs: maintenance.timeoutMs }, { quickStepsLocal: patched(QUICK_STEPS_LOCAL_PATCH) });
  const step: HostStep = { hostId: input.hostId, campaignId: input.campaignId, wave: input.wave, attempt: input.attempt, operator: input.operator };
  const target = input.target;
  let phase: Phase = 'precheck';
  /** The last boot this upgrade saw: settling records a different one as a boot. */
  let knownBootId: string | undefined;
  /** This upgrade put the host in maintenance mode: it takes it out once the host is decided. */
  let inMaintenance = false;
  /** The new image passed verification: a host that marks a booted bank VALID itself (ESXi) is not rolled back for that alone. */
  let verified = false;
  /** Approvals: the pause point the upgrade waits at, and the approvals received (by whom). */
  let waitingAt: ApprovalPoint | undefined;
  const approved = new Map<ApprovalPoint, string | null>();
  /** Commit barrier: the upgrade waits at its barrier, and the campaign's decision once it came. */
  let atBarrier = false;
  let barrierRelease: CommitBarrierRelease | undefined;
  setHandler(hostStepQuery, () => (waitingAt ? `awaiting-approval-before-${waitingAt}` : atBarrier ? 'awaiting-commit-barrier' : phase));
  setHandler(approveHostSignal, ({ point, by }) => void approved.set(point, by));
  setHandler(releaseCommitBarrierSignal, (release) => {
    if (release.barrier === input.commitBarrier?.barrier) barrierRelease ??= release;
  });
  const end = (o: Omit<HostOutcome, 'hostId' | 'attempt'>): HostOutcome => ({ hostId: input.hostId, attempt: input.attempt, ...o });

  let outcome: HostOutcome;
  let lastError: unknown;
  try {
    outcome = await upgrade();
  } catch (error) {
    lastError = error;
    const cancelled = isCancellation(error);
    const why =
      cancelled && waitingAt
        ? `cancelled while awaiting approval before the ${waitingAt}`
        : cancelled && atBarrier
          ? 'cancelled while waiting at the commit barrier'
          : cancelled
            ? `cancelled during ${PHASE_WORDS[phase]}`
            : `${phase}: ${failureText(error).replace(/\.\s*$/, '')}`;
    // A host that never came back was waited for already: one more look is enough.
    const waitMs = failureType(error) === 'HostDidNotReturn' ? 0 : input.timeouts.rebootMs;
    // A cancel that reached the host with its barrier's "commit" (same workflow task) does not split the barrier.
    const committing = cancelled && barrierRelease?.decision === 'commit' && (phase as Phase) === 'booted-unverified';
    outcome = await CancellationScope.nonCancellable(() =>
      committing
        ? commitAfterBarrier().catch((commitError: unknown) => settle('failed', `committing: ${failureText(commitError).replace(/\.\s*$/, '')}`, waitMs))
        : settle(cancelled ? 'cancelled' : 'failed', why, waitMs),
    );
  }
  outcome = await CancellationScope.nonCancellable(() => leaveMaintenance(outcome));
  await CancellationScope.nonCancellable(() => report(outcome));
  if (outcome.unreachable) outcome = await watch(outcome);
  phase = 'done';
  return outcome;

  async function upgrade(): Promise<HostOutcome> {
    const pre = await acts.precheckHost({ ...step, target, waiveUncommittedRunning: input.waiveRollbackImage });
    if (pre.kind === 'already-on-target') return end({ endState: 'untouched', cause: 'already-on-target', reason: pre.detail });
    if (pre.kind === 'refused') return end({ endState: 'untouched', cause: 'refused', failedStep: 'precheck', reason: `precheck: ${pre.reason}` });
    let bootId = pre.bootId;
    knownBootId = bootId;
    // Approvals: the host waits before maintenance mode, in service (nothing written yet).
    if (pre.resumeFrom === 'stage') await awaitApproval('stage');
    if (pre.resumeFrom === 'stage' || pre.resumeFrom === 'reboot') {
      phase = 'entering-maintenance';
      inMaintenance = (await acts.enterMaintenanceMode({ ...step, timeoutMs: maintenance.timeoutMs, vsanMode: maintenance.vsanMode, ...(pre.maintenanceMode === undefined ? {} : { wasInMaintenance: pre.maintenanceMode }) })).entered;
    }
    if (pre.resumeFrom === 'stage') {
      phase = 'staging';
      await acts.stageImage({ ...step, target, waiveUncommittedRunning: input.waiveRollbackImage });
    }
    if (pre.resumeFrom === 'stage' || pre.resumeFrom === 'reboot') {
      phase = 'staged';
      await awaitApproval('reboot');
      const { bootIdBefore } = await acts.rebootHost({ ...step, bootId, build: target.build });
      phase = 'rebooting';
      const booted = await acts.awaitHostBoot({ ...step, previousBootId: bootIdBefore, target, timeoutMs: input.timeouts.rebootMs, purpose: 'upgrade' });
      bootId = booted.bootId;
      knownBootId = bootId;
      if (booted.fellBack) {
        phase = 'done';
        return end({ endState: 'fell-back', cause: 'failed', failedStep: 'boot', reason: `boot: ${booted.summary}`, bootLog: booted.bootLog });
      }
      if (!booted.onTarget) return settle('failed', `boot: ${booted.summary}`, 0, booted.bootLog);
    }
    phase = 'booted-unverified';
    const verdict = await acts.verifyHost({ ...step, target, checks: input.checks });
    if (verdict.ok) {
      // Not yet `verified`: a cancel while waiting rolls the unapproved image back.
      await awaitApproval('commit');
      // Commit barrier: still not `verified` while it waits, so a cancel rolls the image back.
      const release = await awaitCommitBarrier();
      if (release?.decision === 'rollback') return rollBack(`commit barrier: ${release.reason}`, release.cause, 'commit-barrier', bootId, []);
      if (release) return CancellationScope.nonCancellable(commitAfterBarrier);
      verified = true;
      phase = 'committing';
      await acts.commitHost({ ...step, target });
      phase = 'done';
      return end({ endState: 'upgraded', cause: 'succeeded', reason: '' });
    }
    return rollBack(`verify: ${verdict.reason}`, 'failed', 'verify', bootId, verdict.bootLog);
  }

  /** Back to the previous image, as Shift+R does (decided before it acts), and a look that it booted. */
  async function rollBack(why: string, cause: HostEndCause, failedStep: string, bootId: string, bootLog: readonly string[]): Promise<HostOutcome> {
    phase = 'rolling-back';
    const { bootIdBefore } = await acts.rollBackHost({ ...step, reason: why, bootId });
    const back = await acts.awaitHostBoot({ ...step, previousBootId: bootIdBefore, target, timeoutMs: input.timeouts.rebootMs, purpose: 'rollback' });
    knownBootId = back.bootId;
    if (back.onTarget) return settle(cause, `${why}; the rollback did not take: ${back.summary}`, input.timeouts.rebootMs, [...bootLog, ...back.bootLog]);
    phase = 'done';
    return end({ endState: 'rolled-back', cause, failedStep, reason: `${why}; rolled back: ${back.summary}`, bootLog });
  }

  /** The barrier decided "commit" for all its hosts: this one commits as its peers do, whatever is cancelled meanwhile. */
  async function commitAfterBarrier(): Promise<HostOutcome> {
    verified = true;
    phase = 'committing';
    await acts.commitHost({ ...step, target });
    phase = 'done';
    return end({ endState: 'upgraded', cause: 'succeeded', reason: '' });
  }

  /**
   * Commit barrier: the new image booted and verified, the host records that it waits
   * (uncommitted, still revertible), tells its campaign, and waits on a signal for the
   * campaign's decision for every host behind the barrier. The campaign times the barrier
   * out; the bound here only covers a campaign that is gone. Runs only for inputs with a
   * barrier: histories of older runs replay unchanged.
   */
  async function awaitCommitBarrier(): Promise<CommitBarrierRelease | undefined> {
    const barrier = input.commitBarrier;
    if (!barrier) return undefined;
    atBarrier = true;
    await acts.recordCommitBarrier({ ...step, barrier: barrier.barrier });
    if (input.parentWorkflowId) {
      await getExternalWorkflowHandle(input.parentWorkflowId)
        .signal(hostAwaitingCommitSignal, { hostId: input.hostId, attempt: input.attempt, barrier: barrier.barrier })
        .catch(() => undefined);
    }
    const boundMs = barrier.timeoutMs + BARRIER_BACKSTOP_MS;
    await condition(() => barrierRelease !== undefined, boundMs);
    atBarrier = false;
    const release: CommitBarrierRelease = barrierRelease ?? {
      barrier: barrier.barrier,
      decision: 'rollback',
      reason: `no decision from the campaign within ${Math.round(boundMs / 1000)} s at the barrier`,
      cause: 'failed',
    };
    const record = () => acts.recordCommitBarrier({ ...step, barrier: barrier.barrier, released: { decision: release.decision, reason: release.reason } });
    // Decided "commit" for the whole barrier: a cancel from here on must not roll this host back while its peers commit.
    await (release.decision === 'commit' ? CancellationScope.nonCancellable(record) : record());
    return release;
  }

  /**
   * A pause point of the campaign's approvals: recorded in the host's stream, told to the
   * campaign, then a wait without a time limit (a cancel ends it and settles the host).
   * Runs only for inputs with approvals: histories of older runs replay unchanged.
   */
  async function awaitApproval(point: ApprovalPoint): Promise<void> {
    if (!input.approvals?.includes(point)) return;
    waitingAt = point;
    await acts.recordHostApproval({ ...step, point, granted: false });
    if (input.parentWorkflowId) {
      await getExternalWorkflowHandle(input.parentWorkflowId)
        .signal(hostAwaitingApprovalSignal, { hostId: input.hostId, attempt: input.attempt, point })
        .catch(() => undefined);
    }
    await condition(() => approved.has(point));
    waitingAt = undefined;
    await acts.recordHostApproval({ ...step, point, granted: true, by: approved.get(point) ?? null });
  }

  /** Leaves the host decided after the upgrade stopped, from what it shows now. */
  async function settle(cause: HostEndCause, why: string, waitMs: number, bootLog: readonly string[] = [], failedStep: string = phase): Promise<HostOutcome> {
    if (phase === 'precheck' || phase === 'entering-maintenance') {
      // Nothing was written yet; a host that could not be evacuated in time was refused.
      const refused = failureType(lastError) === 'MaintenanceModeRefused';
      return end({ endState: 'untouched', cause: refused ? 'refused' : cause, failedStep, reason: `${why}; nothing had been changed on the host` });
    }
    phase = 'settling';
    try {
      const settled = await acts.settleHost({ ...step, target, reason: why, waitMs, rebootTimeoutMs: input.timeouts.rebootMs, verified, ...(knownBootId ? { knownBootId } : {}) });
      return end({
        endState: settled.endState,
        // A commit that got through before the cancellation is an upgrade all the same.
        cause: settled.endState === 'upgraded' ? 'succeeded' : cause,
        failedStep,
        reason: `${why}; ${settled.detail}`,
        bootLog: [...bootLog, ...settled.bootLog],
        ...(settled.settle ? { settle: settled.settle } : {}),
        ...(settled.unreachable ? { unreachable: true } : {}),
      });
    } catch (error) {
      return end({
        endState: 'needs-attention',
        cause,
        failedStep,
        reason: `${why}; settling the host failed: ${failureText(error)}`,
        bootLog,
        settle: `read the host's banks (\`bankswitch host observe ${input.hostId}\`), then roll it back, abandon its staged image or commit it`,
      });
    }
  }

  /**
   * Out of maintenance mode once the host is decided (unless it needs attention: an
   * operator may want it kept out of service); a host that cannot be reached stays in it,
   * and the reason says so.
   */
  async function leaveMaintenance(o: HostOutcome): Promise<HostOutcome> {
    if (!inMaintenance || o.endState === 'needs-attention') return o;
    try {
      await acts.exitMaintenanceMode(step);
      inMaintenance = false;
      return o;
    } catch (error) {
      return { ...o, reason: `${o.reason}${o.reason ? '; ' : ''}it could not be taken out of maintenance mode (${failureText(error)}): take it out by hand` };
    }
  }

  /**
   * The host's history records the end, retrying until PostgreSQL takes it. A campaign that
   * reads ends from the log (reportEndBy) learns it from there; otherwise, and for a later
   * settlement (`late`: the campaign no longer counts the host as running, so it does not
   * read for it), the campaign hears first, by signal (no database needed).
   */
  async function report(o: HostOutcome, late = false): Promise<void> {
    const fromLog = input.reportEndBy === 'event-log' && !late && patched(ENDS_FROM_LOG_PATCH);
    if (input.parentWorkflowId && !fromLog) await tellParent(input.parentWorkflowId, o);
    await acts.recordUpgradeEnd({ ...step, outcome: o, target });
  }

  /**
   * A host that stopped answering needs attention; it is also watched, and settled as
   * soon as it answers again (for up to timeouts.watchMs). Cancelling the workflow ends
   * the watch.
   */
  async function watch(lost: HostOutcome): Promise<HostOutcome> {
    phase = 'watching';
    let delayMs = 2_000;
    let waited = 0;
    try {
      while (waited < (input.timeouts.watchMs ?? DEFAULT_WATCH_MS)) {
        await sleep(delayMs);
        waited += delayMs;
        delayMs = Math.min(delayMs * 2, 60_000);
        const { reachable } = await acts.probeHost({ hostId: input.hostId }).catch(() => ({ reachable: false }));
        if (!reachable) continue;
        const settled = await CancellationScope.nonCancellable(async () => {
          const o = await settle(lost.cause, `${lost.reason}; the host answered again`, input.timeouts.rebootMs, lost.bootLog, lost.failedStep);
          if (o.unreachable) return o;
          const left = await leaveMaintenance(o);
          await report(left, true);
          return left;
        });
        if (!settled.unreachable) return settled;
      }
    } catch (error) {
      if (!isCancellation(error)) throw error;
    }
    return lost;
  }
}

async function tellParent(parentWorkflowId: string, outcome: HostOutcome): Promise<void> {
  try {
    await getExternalWorkflowHandle(parentWorkflowId).signal(hostFinishedSignal, outcome);
  } catch {
    // The campaign has closed: the outcome is in the host's history, and its status reads it there.
  }
}
