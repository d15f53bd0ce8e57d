import { z } from 'zod';
import { defineEvent } from './define-event';

const id = z.string().min(1);
const build = z.string().min(1);
const wave = z.number().int().nonnegative();
/** Plain words an operator can act on, e.g. "the new image did not boot: the host fell back to 8.0.2". */
const reason = z.string().min(1);

/** HostUpgradeFailed as first written (schema version 1): one error string, the boot log as one text. */
export const hostUpgradeFailedV1 = z.object({ campaignId: id, hostId: id, wave, toBuild: build, error: z.string(), bootLog: z.string() });

/** 1 for a host's first try in a campaign, 2… for retries. */
const attempt = z.number().int().positive().default(1);

const hostUpgradeFailedV2 = z
  .object({
    campaignId: id,
    hostId: id,
    wave,
    toBuild: build,
    attempt,
    /** How it ended: fell back by itself, rolled back by the engine, failed (needs attention), or cancelled. */
    outcome: z.enum(['fell-back', 'rolled-back', 'failed', 'cancelled']).default('failed'),
    reason,
    /** The step that failed (stage, reboot, verify, commit…); null when unknown. */
    failedStep: z.string().nullable(),
    /** The agent's boot log, one entry per line. */
    bootLog: z.array(z.string()).readonly(),
  })
  .readonly();

/** Version 1 → 2: `error` becomes `reason`, the log is split into lines, the step is unknown. */
function upcastHostUpgradeFailedV1(data: unknown): unknown {
  const v1 = hostUpgradeFailedV1.parse(data);
  const { error, bootLog, ...rest } = v1;
  return { ...rest, reason: error, failedStep: null, bootLog: bootLog.split(/\r?\n/).filter((line) => line !== '') };
}

/** Events of `campaign-<id>` streams. */
export const campaignEventDefinitions = {
  CampaignLaunched: defineEvent(
    'CampaignLaunched',
    'campaign',
    z
      .object({
        campaignId: id,
        name: z.string().min(1),
        targetBuild: build,
        waves: z.array(z.object({ hosts: z.array(id).readonly() }).readonly()).readonly(),
        failureBudget: z.number().int().nonnegative(),
      })
      .readonly(),
  ),
  WaveStarted: defineEvent('WaveStarted', 'campaign', z.object({ campaignId: id, wave, hosts: z.array(id).readonly() }).readonly()),
  WaveFinished: defineEvent(
    'WaveFinished',
    'campaign',
    z.object({ campaignId: id, wave, succeeded: z.number().int().nonnegative(), failed: z.number().int().nonnegative() }).readonly(),
  ),
  CampaignPaused: defineEvent('CampaignPaused', 'campaign', z.object({ campaignId: id, reason }).readonly()),
  CampaignResumed: defineEvent('CampaignResumed', 'campaign', z.object({ campaignId: id }).readonly()),
  /** Failed or cancelled hosts put back in the queue by an operator (the operator is in the metadata). */
  HostsRequeued: defineEvent('HostsRequeued', 'campaign', z.object({ campaignId: id, hostIds: z.array(id).readonly() }).readonly()),
  CampaignHalted: defineEvent('CampaignHalted', 'campaign', z.object({ campaignId: id, reason }).readonly()),
  CampaignCancelled: defineEvent('CampaignCancelled', 'campaign', z.object({ campaignId: id, reason }).readonly()),
  CampaignCompleted: defineEvent(
    'CampaignCompleted',
    'campaign',
    z
      .object({
        campaignId: id,
        succeeded: z.number().int().nonnegative(),
        failed: z.number().int().nonnegative(),
        /** Hosts that already ran the target build. */
        skipped: z.number().int().nonnegative().default(0),
      })
      .readonly(),
  ),
  HostUpgradeStarted: defineEvent(
    'HostUpgradeStarted',
    'campaign',
    z
      .object({
        campaignId: id,
        hostId: id,
        wave,
        fromBuild: z.string().nullable(),
        toBuild: build,
        attempt,
        /** The step the upgrade starts from: later than `stage` when the host shows earlier steps done (a retry). */
        resumeFrom: z.enum(['stage', 'reboot', 'verify']).default('stage'),
        /** Steps not run again, each with why. */
        skipped: z.array(z.object({ step: z.string(), why: z.string() }).readonly()).readonly().default([]),
      })
      .readonly(),
  ),
  HostUpgradeSucceeded: defineEvent(
    'HostUpgradeSucceeded',
    'campaign',
    z.object({ campaignId: id, hostId: id, wave, build, bank: z.union([z.literal(0), z.literal(1)]), attempt }).readonly(),
  ),
  /** The host already ran the target build, committed: nothing was done to it. */
  HostUpgradeSkipped: defineEvent('HostUpgradeSkipped', 'campaign', z.object({ campaignId: id, hostId: id, wave, build, reason }).readonly()),
  HostUpgradeFailed: defineEvent('HostUpgradeFailed', 'campaign', hostUpgradeFailedV2, {
    schemaVersion: 2,
    upcasters: { 1: upcastHostUpgradeFailedV1 },
  }),
} as const;
