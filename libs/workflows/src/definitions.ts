// Names and shapes shared by the workflows and their callers (the app layer's client).
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { HostOutcome } from '@bankswitch/activities';
import type { ApprovalPoint, CampaignProgress } from '@bankswitch/campaign';

export const TASK_QUEUE = 'bankswitch';
/**
 * The task queue of a campaign's own activities (appends of its decisions, host starts, the
 * watch, gate samples), beside the workflows' `taskQueue`: on the shared queue they waited
 * for activity slots that a thousand hosts' long steps (a boot wait lasts the reboot) held.
 * Every worker process polls both (apps/worker, create-worker.ts).
 */
export const campaignActivityTaskQueue = (taskQueue: string): string => `${taskQueue}-campaign`;

/**
 * One workflow id per host for anything that acts on it (an upgrade, an operator's
 * action): Temporal refuses a second one while the first runs, so the id is the lock.
 */
export const hostWorkflowId = (hostId: string): string => `host-${hostId}`;
export const campaignWorkflowId = (campaignId: string): string => `campaign-${campaignId}`;

export interface OperatorAction {
  readonly by?: string;
  readonly reason?: string;
}

/** A host's upgrade tells its campaign how it ended (and again if it settles a host that needed attention). */
export const hostFinishedSignal = defineSignal<[HostOutcome]>('hostFinished');
export const progressQuery = defineQuery<CampaignProgress>('progress');
export const pauseUpdate = defineUpdate<CampaignProgress, [OperatorAction]>('pause');
export const resumeUpdate = defineUpdate<CampaignProgress, [OperatorAction]>('resume');
export const approveUpdate = defineUpdate<CampaignProgress, [OperatorAction]>('approve');
export const cancelUpdate = defineUpdate<CampaignProgress, [OperatorAction]>('cancel');
export const retryHostsUpdate = defineUpdate<CampaignProgress, [OperatorAction & { hostIds?: readonly string[] }]>('retryHosts');
/** Where a host's upgrade is: precheck, staging, staged, rebooting, booted-unverified, committing, rolling-back, settling, watching, done; awaiting-approval-before-stage|reboot|commit while it waits at a pause point; awaiting-commit-barrier while it waits at its commit barrier. */
export const hostStepQuery = defineQuery<string>('step');

/** Approvals: a host's upgrade tells its campaign it waits at a pause point. */
export const hostAwaitingApprovalSignal = defineSignal<[{ hostId: string; attempt: number; point: ApprovalPoint }]>('hostAwaitingApproval');
/** Approvals: the campaign tells a waiting host's upgrade it was approved (after recording it). */
export const approveHostSignal = defineSignal<[{ point: ApprovalPoint; by: string | null }]>('approveHost');
/** Approvals: an operator approves waiting hosts of a campaign: those named (all when absent), at `point` (any when absent). */
export const approveHostsUpdate = defineUpdate<CampaignProgress, [OperatorAction & { hostIds?: readonly string[]; point?: ApprovalPoint }]>('approveHosts');

/** Commit barrier: a host's upgrade tells its campaign it verified and waits at its barrier, not committed. */
export const hostAwaitingCommitSignal = defineSignal<[{ hostId: string; attempt: number; barrier: string }]>('hostAwaitingCommit');
/**
 * Commit barrier: the campaign tells a waiting host what its barrier decided (after recording
 * it): commit, or roll back (`cause`: failed for a host that had not verified in time, else cancelled).
 */
export const releaseCommitBarrierSignal = defineSignal<[CommitBarrierRelease]>('releaseCommitBarrier');
export interface CommitBarrierRelease {
  readonly barrier: string;
  readonly decision: 'commit' | 'rollback';
  readonly reason: string;
  readonly cause: 'failed' | 'cancelled';
}
