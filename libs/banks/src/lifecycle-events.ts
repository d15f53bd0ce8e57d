import { z } from 'zod';

/**
 * How an upgrade (or an operator's action) left a host, in the words operators and
 * auditors use. Every host the engine touched ends in one of these, recorded with why.
 * - upgraded: the new bank booted, was verified and committed;
 * - rolled-back: the previous image runs again and the new bank is INVALID (rolled back
 *   after a reboot, or a staged image abandoned before one);
 * - fell-back: the loader gave up on the new bank by itself and booted the previous one;
 * - untouched: nothing the upgrade wrote remains (it never wrote, or was refused first);
 * - needs-attention: the engine could not settle the host; `settle` says what would.
 */
export const HOST_END_STATES = ['upgraded', 'rolled-back', 'fell-back', 'untouched', 'needs-attention'] as const;
export type HostEndState = (typeof HOST_END_STATES)[number];

/** Why it ended there: what a campaign counts as success, failure or cancellation. */
export const HOST_END_CAUSES = ['succeeded', 'already-on-target', 'refused', 'failed', 'cancelled'] as const;
export type HostEndCause = (typeof HOST_END_CAUSES)[number];

export const HOST_ACTIONS = ['rollback', 'abandon', 'commit', 'observe'] as const;
export type HostAction = (typeof HOST_ACTIONS)[number];

const id = z.string().min(1);
const endState = z.enum(HOST_END_STATES);
const cause = z.enum(HOST_END_CAUSES);

/** Events of a host's upgrade lifecycle, in the host's own stream beside its bank events. */
export const lifecycleEventDataSchemas = {
  /** A campaign began (or resumed) upgrading the host: from where, and which steps it skips and why. */
  UpgradeStarted: z
    .object({
      campaignId: id,
      attempt: z.number().int().positive(),
      fromBuild: z.string().nullable(),
      toBuild: id,
      resumeFrom: z.enum(['stage', 'reboot', 'verify']),
      skipped: z.array(z.object({ step: z.string(), why: z.string() }).readonly()).readonly(),
    })
    .readonly(),
  /** The upgrade ended, and the host is in this state; `settle` names the action that would settle a host that needs attention. */
  UpgradeEnded: z
    .object({
      campaignId: id,
      attempt: z.number().int().positive(),
      toBuild: id,
      endState,
      cause,
      reason: z.string(),
      /** The step that went wrong (stage, reboot, boot, verify, commit, rollback); null for a success. */
      failedStep: z.string().nullable(),
      bootLog: z.array(z.string()).readonly(),
      settle: z.string().nullable(),
    })
    .readonly(),
  /** The host entered maintenance mode (its VMs evacuated) for an upgrade; it may be staged and rebooted. */
  MaintenanceModeEntered: z.object({ campaignId: z.string().nullable(), vsanMode: z.enum(['ensureObjectAccessibility', 'evacuateAllData', 'noAction']) }).readonly(),
  /** The host left maintenance mode once its upgrade was decided. */
  MaintenanceModeExited: z.object({ campaignId: z.string().nullable() }).readonly(),
  /** The upgrade waits for an operator's approval before `point` (a pause point of its campaign's approvals). */
  HostApprovalRequested: z.object({ campaignId: id, attempt: z.number().int().positive(), point: z.enum(['stage', 'reboot', 'commit']) }).readonly(),
  /** An operator approved the upgrade going on past `point`: who (`by`, and the metadata). */
  HostApprovalGranted: z.object({ campaignId: id, attempt: z.number().int().positive(), point: z.enum(['stage', 'reboot', 'commit']), by: z.string().nullable() }).readonly(),
  /** Commit barrier: the new image booted and verified; the upgrade waits at its campaign's barrier (`wave-<n>` or `campaign`) without committing it. */
  CommitBarrierReached: z.object({ campaignId: id, attempt: z.number().int().positive(), barrier: id }).readonly(),
  /** Commit barrier: the campaign's decision for this host, and why: commit (every host behind the barrier verified) or roll back. */
  CommitBarrierReleased: z
    .object({ campaignId: id, attempt: z.number().int().positive(), barrier: id, decision: z.enum(['commit', 'rollback']), reason: z.string() })
    .readonly(),
  /** An operator acted on the host directly (who: the event metadata), why, and the state it left the host in. */
  HostActionTaken: z
    .object({ action: z.enum(HOST_ACTIONS), reason: z.string().min(1), endState, detail: z.string(), settle: z.string().nullable() })
    .readonly(),
  /**
   * The host presented an SSH host key other than the one the inventory pins: another
   * machine answers at its address, or the host was reinstalled. Nothing was sent to it.
   */
  HostKeyMismatch: z.object({ address: z.string(), pinned: z.string(), presented: z.string() }).readonly(),
} as const;

export type LifecycleEventType = keyof typeof lifecycleEventDataSchemas;
export const LIFECYCLE_EVENT_TYPES = Object.keys(lifecycleEventDataSchemas) as readonly LifecycleEventType[];

const event = <T extends LifecycleEventType>(type: T) =>
  z.object({ type: z.literal(type), data: lifecycleEventDataSchemas[type] }).readonly();

export const lifecycleEventSchema = z.discriminatedUnion('type', [
  event('UpgradeStarted'),
  event('UpgradeEnded'),
  event('MaintenanceModeEntered'),
  event('MaintenanceModeExited'),
  event('HostActionTaken'),
  event('HostKeyMismatch'),
  event('HostApprovalRequested'),
  event('HostApprovalGranted'),
  event('CommitBarrierReached'),
  event('CommitBarrierReleased'),
]);
export type LifecycleEvent = z.infer<typeof lifecycleEventSchema>;
export type UpgradeStarted = Extract<LifecycleEvent, { type: 'UpgradeStarted' }>;
export type UpgradeEnded = Extract<LifecycleEvent, { type: 'UpgradeEnded' }>;
export type HostActionTaken = Extract<LifecycleEvent, { type: 'HostActionTaken' }>;
