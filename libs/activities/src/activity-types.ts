// The activity surface, as the workflows see it (types only). Each activity appends
// its events idempotently, so Temporal may run any of them twice.
import type {
  BootObservation,
  CampaignFact,
  HostOutcome,
  HostStep,
  PrecheckResult,
  TargetImage,
  VerifyResult,
} from './contracts';

export interface HostUpgradeActivities {
  /** Reachable, right identity, banks agree with the history (drift is recorded), rollback image present or waived. */
  precheckHost(input: HostStep & { target: TargetImage; waiveRollbackImage: boolean }): Promise<PrecheckResult>;
  /** Writes the image into the inactive bank (never the running one). */
  stageImage(input: HostStep & { target: TargetImage }): Promise<void>;
  /** Asks the host to reboot; returns the boot id it had, to recognise the next boot. */
  rebootHost(input: HostStep & { bootId: string }): Promise<{ bootIdBefore: string }>;
  /**
   * Waits (heartbeating) until the host answers with a new boot id, then records which
   * bank and build booted. Fails for good after `timeoutMs` ("the host never came back").
   */
  awaitHostBoot(
    input: HostStep & { previousBootId: string; target: TargetImage; timeoutMs: number; purpose: 'upgrade' | 'rollback' },
  ): Promise<BootObservation>;
  /** Expected bank and build, bank state, and the campaign's health checks. */
  verifyHost(input: HostStep & { target: TargetImage; checks: readonly string[] }): Promise<VerifyResult>;
  /** Marks the new bank VALID: from here on it is the host's known-good image. */
  commitHost(input: HostStep & { target: TargetImage }): Promise<void>;
  /** Invalidates the booted (new) bank and reboots into the previous image, as Shift+R does. */
  rollBackHost(input: HostStep & { reason: string; bootId: string }): Promise<{ bootIdBefore: string }>;
  /**
   * Compensation of a cancelled upgrade: waits for the host, then rolls back a booted
   * but unverified image, or invalidates a staged, never-booted one; says what it did.
   */
  settleCancelledUpgrade(input: HostStep & { target: TargetImage; timeoutMs: number }): Promise<{ detail: string }>;
  /** The host's outcome, with its reason in plain words and the failed boot's log. */
  recordHostOutcome(input: HostStep & { outcome: HostOutcome; target: TargetImage }): Promise<void>;
}

export interface CampaignActivities {
  /** Appends a campaign lifecycle event; `key` makes it idempotent across retries and replays. */
  recordCampaignFact(input: { campaignId: string; fact: CampaignFact; key: string; operator?: string }): Promise<void>;
}

export type BankswitchActivities = HostUpgradeActivities & CampaignActivities;
