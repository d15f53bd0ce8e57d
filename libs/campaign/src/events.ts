import { z } from 'zod';
import { HOST_END_CAUSES, HOST_END_STATES } from '@bankswitch/banks';

const id = z.string().min(1);
const build = z.string().min(1);
const wave = z.number().int().nonnegative();
const count = z.number().int().nonnegative();
/** Plain words an operator can act on, e.g. "the new image did not boot: the host fell back to 8.0.2". */
const reason = z.string().min(1);
/** 1 for a host's first try in a campaign, 2… for retries. */
const attempt = z.number().int().positive().default(1);

const window = z.object({ cron: z.string(), durationMs: z.number().int().positive(), timezone: z.string() }).readonly();
const gate = z
  .object({
    name: z.string(),
    prometheus: z.object({ url: z.string(), query: z.string() }).readonly(),
    expect: z.object({ op: z.enum(['<', '<=', '>', '>=', '==', '!=']), value: z.number() }).readonly(),
    forMs: z.number().int().positive(),
    onFail: z.enum(['halt', 'pause']),
  })
  .readonly();

const approvalPoint = z.enum(['stage', 'reboot', 'commit']);
const approvalScope = z.enum(['canary', 'all', 'none']);
const approvals = z.object({ beforeStage: approvalScope, beforeReboot: approvalScope, beforeCommit: approvalScope }).readonly();

const commitBarrier = z.object({ scope: z.enum(['wave', 'campaign']), timeoutMs: z.number().int().positive() }).readonly();
const barrier = z.string().min(1);

const pauseBetweenWaves = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('manual') }),
  z.object({ kind: z.literal('timed'), ms: z.number().int().positive() }),
]);

/**
 * What happened to a campaign, as its decider records it: the campaign workflow is the
 * only writer of its stream, so the stream is the campaign's whole story and its status
 * is a fold of it (no Temporal needed to read it).
 */
export const campaignEventDataSchemas = {
  /** The plan the campaign runs: waves (wave 0 the canary), limits and budget. */
  CampaignLaunched: z
    .object({
      campaignId: id,
      name: z.string().min(1),
      targetBuild: build,
      waves: z.array(z.object({ kind: z.enum(['canary', 'wave']).default('wave'), hosts: z.array(id).readonly() }).readonly()).readonly(),
      failureBudget: count,
      clusters: z.record(z.string(), z.string()).default({}),
      maxInFlight: z.number().int().positive().default(1),
      maxPerCluster: z.number().int().positive().nullable().default(null),
      pauseBetweenWaves: pauseBetweenWaves.default({ kind: 'none' }),
      launchedBy: z.string().nullable().default(null),
      /** Waves sized as the campaign goes; `waves` then shows them as they would be with no failure. */
      rampUp: z.object({ start: z.number().int().positive(), factor: z.number().gt(1), max: z.number().int().positive() }).readonly().nullable().optional(),
      /** Maintenance windows: hosts start only inside one. */
      windows: z.array(window).readonly().optional(),
      /** Health gates after the canary and each wave. */
      gates: z.array(gate).readonly().optional(),
      /** Pause points inside each host's upgrade: who waits for an operator before the stage, the reboot, the commit. */
      approvals: approvals.optional(),
      /** The fleet commit barrier: hosts verify, then wait uncommitted until every host behind their barrier (its wave, or the campaign) verified. */
      commitBarrier: commitBarrier.optional(),
    })
    .readonly(),
  /** A host verified its new image and waits at its commit barrier (`wave-<n>` or `campaign`), booted but not committed (still revertible). */
  HostAwaitingCommit: z.object({ campaignId: id, hostId: id, attempt, barrier }).readonly(),
  /**
   * The barrier decided for the hosts waiting at it (`hostIds`, each told): commit them all,
   * or roll them back (a host behind it failed, it timed out, the campaign was cancelled).
   * Hosts behind a rolled-back barrier that had not started end untouched; those on their
   * way are told to roll back when they arrive (one more of these each). `late`: the hosts
   * that had not verified when it timed out (they count as failed).
   */
  BarrierReleased: z
    .object({
      campaignId: id,
      barrier,
      round: z.number().int().nonnegative().default(0),
      decision: z.enum(['commit', 'rollback']),
      reason,
      hostIds: z.array(id).readonly(),
      late: z.array(id).readonly().default([]),
    })
    .readonly(),
  /** A host's upgrade waits for an operator's approval at `point` (it stays in flight meanwhile). */
  HostWaitingForApproval: z.object({ campaignId: id, hostId: id, attempt, point: approvalPoint }).readonly(),
  /** An operator approved the host at `point` (who: `by`, and the metadata); its upgrade goes on. */
  HostApproved: z.object({ campaignId: id, hostId: id, attempt, point: approvalPoint, by: z.string().nullable().default(null) }).readonly(),
  /** A maintenance window opened: hosts may start until `closesAt`. */
  WindowOpened: z.object({ campaignId: id, closesAt: z.string() }).readonly(),
  /** The maintenance window closed (or none is open at launch): no host starts until `opensAt` (null: no window ahead). Hosts in flight finish. */
  WindowClosed: z.object({ campaignId: id, opensAt: z.string().nullable() }).readonly(),
  /** The gates after `afterWave` are being evaluated; the next wave waits for them. */
  GatesStarted: z.object({ campaignId: id, afterWave: wave, gates: z.array(z.string()).readonly() }).readonly(),
  /** A gate's verdict after `afterWave`: the values sampled over its `for` window (null: none read), and whether it held. */
  GateEvaluated: z
    .object({
      campaignId: id,
      afterWave: wave,
      gate: z.string(),
      expect: z.string(),
      values: z.array(z.number().nullable()).readonly(),
      passed: z.boolean(),
      onFail: z.enum(['halt', 'pause']),
      detail: z.string().optional(),
    })
    .readonly(),
  /** `rampUp`: how a ramp-up sized the wave, in plain words (e.g. "back to 1 host: wave 2 had 1 failure"). */
  WaveStarted: z.object({ campaignId: id, wave, hosts: z.array(id).readonly(), rampUp: z.string().optional() }).readonly(),
  /** `awaitingCommit`: with `commit: campaign`, hosts of the wave that verified and wait at the barrier (the next wave may start). */
  WaveFinished: z.object({ campaignId: id, wave, succeeded: count, failed: count, awaitingCommit: count.optional() }).readonly(),
  /** The campaign handed the host to its upgrade workflow. */
  HostStarted: z.object({ campaignId: id, hostId: id, wave, attempt, operator: z.string().nullable().default(null) }).readonly(),
  /** The host's upgrade ended: the state it left the host in, and why. A later one for the same attempt corrects a host that needed attention. */
  HostFinished: z
    .object({
      campaignId: id,
      hostId: id,
      wave,
      attempt,
      endState: z.enum(HOST_END_STATES),
      cause: z.enum(HOST_END_CAUSES),
      reason: z.string(),
      settle: z.string().nullable().default(null),
    })
    .readonly(),
  /** `kind`: an operator's pause, a wait for approval before the next wave, or a timed pause between waves. */
  CampaignPaused: z
    .object({ campaignId: id, reason, kind: z.enum(['operator', 'approval', 'timed', 'gate']).default('operator'), ms: z.number().int().positive().nullable().default(null) })
    .readonly(),
  CampaignResumed: z.object({ campaignId: id }).readonly(),
  /** Failed or cancelled hosts put back in the queue (who asked: the metadata, and `by`). */
  HostsRequeued: z.object({ campaignId: id, hostIds: z.array(id).readonly(), by: z.string().nullable().default(null) }).readonly(),
  CampaignHalted: z.object({ campaignId: id, reason }).readonly(),
  CampaignCancelled: z.object({ campaignId: id, reason }).readonly(),
  CampaignCompleted: z.object({ campaignId: id, succeeded: count, failed: count, skipped: count.default(0) }).readonly(),
} as const;

/**
 * Events written by the first version of the engine (host workflows wrote their start
 * and outcome into the campaign's stream). No longer written; still read, so that old
 * campaigns keep their history.
 */
export const legacyCampaignEventDataSchemas = {
  HostUpgradeStarted: z
    .object({
      campaignId: id,
      hostId: id,
      wave,
      fromBuild: z.string().nullable(),
      toBuild: build,
      attempt,
      resumeFrom: z.enum(['stage', 'reboot', 'verify']).default('stage'),
      skipped: z.array(z.object({ step: z.string(), why: z.string() }).readonly()).readonly().default([]),
    })
    .readonly(),
  HostUpgradeSucceeded: z.object({ campaignId: id, hostId: id, wave, build, bank: z.union([z.literal(0), z.literal(1)]), attempt }).readonly(),
  HostUpgradeSkipped: z.object({ campaignId: id, hostId: id, wave, build, reason }).readonly(),
  /** Schema version 2 (version 1 is upcast by the store's catalog). */
  HostUpgradeFailed: z
    .object({
      campaignId: id,
      hostId: id,
      wave,
      toBuild: build,
      attempt,
      outcome: z.enum(['fell-back', 'rolled-back', 'failed', 'cancelled']).default('failed'),
      reason,
      failedStep: z.string().nullable(),
      bootLog: z.array(z.string()).readonly(),
    })
    .readonly(),
} as const;

/** HostUpgradeFailed as first written (schema version 1): one error string, the boot log as one text. */
export const hostUpgradeFailedV1 = z.object({ campaignId: id, hostId: id, wave, toBuild: build, error: z.string(), bootLog: z.string() });

/** Version 1 → 2: `error` becomes `reason`, the log is split into lines, the step is unknown. */
export function upcastHostUpgradeFailedV1(data: unknown): unknown {
  const { error, bootLog, ...rest } = hostUpgradeFailedV1.parse(data);
  return { ...rest, reason: error, failedStep: null, bootLog: bootLog.split(/\r?\n/).filter((line) => line !== '') };
}

type Schemas = typeof campaignEventDataSchemas & typeof legacyCampaignEventDataSchemas;
export type CampaignEventType = keyof Schemas;
/** `{ type, data }` for every campaign event, data as its schema outputs it. */
export type CampaignEvent = { [T in CampaignEventType]: { readonly type: T; readonly data: z.output<Schemas[T]> } }[CampaignEventType];
export type CampaignEventOf<T extends CampaignEventType> = Extract<CampaignEvent, { type: T }>;
/** The events the decider emits (never the legacy ones). */
export type CurrentCampaignEvent = CampaignEventOf<keyof typeof campaignEventDataSchemas>;
