// What the workflows may ask of the world, and what they get back. Workflows import
// these types only (`import type`); the implementations are in this library.
import type { BankIndex } from '@bankswitch/banks';
import type { CampaignEvent } from '@bankswitch/event-store';

export interface TargetImage {
  readonly build: string;
  readonly sha256: string;
  /** Where the image file is (a path the worker can read). */
  readonly payload: string;
}

/** Every step of one host's upgrade carries who asked for it, for the event metadata. */
export interface HostStep {
  readonly hostId: string;
  readonly campaignId: string;
  /** The campaign wave the host belongs to. */
  readonly wave: number;
  /** 1 for the first try, 2… for retries. */
  readonly attempt: number;
  readonly operator?: string;
}

export type ResumePoint = 'stage' | 'reboot' | 'verify';

export type PrecheckResult =
  | {
      readonly kind: 'ready';
      /** Where the upgrade starts: later than `stage` when the host shows earlier steps done. */
      readonly resumeFrom: ResumePoint;
      /** Steps skipped because the host already shows them done, each with why. */
      readonly skipped: readonly { readonly step: string; readonly why: string }[];
      readonly bootId: string;
      readonly bootedBank: BankIndex;
      readonly runningBuild: string;
    }
  | { readonly kind: 'already-on-target'; readonly detail: string }
  | { readonly kind: 'refused'; readonly reason: string };

export interface BootObservation {
  readonly bootId: string;
  readonly bootedBank: BankIndex;
  readonly build: string;
  /** The host runs the target build on the bank it was staged into. */
  readonly onTarget: boolean;
  /** It came back on the old image: the loader gave up on the new bank (INVALID). */
  readonly fellBack: boolean;
  /** Plain-words account, e.g. "came back on bank 0, build …: the loader fell back". */
  readonly summary: string;
  /** The agent's log of the boot(s) since the reboot, kept with the events. */
  readonly bootLog: readonly string[];
}

export type VerifyResult = { readonly ok: true } | { readonly ok: false; readonly reason: string; readonly bootLog: readonly string[] };

export type HostOutcomeKind = 'upgraded' | 'already-on-target' | 'fell-back' | 'rolled-back' | 'failed' | 'cancelled';

export interface HostOutcome {
  readonly hostId: string;
  readonly kind: HostOutcomeKind;
  /** Which step, what was expected, what was observed; empty for a success. */
  readonly reason: string;
  /** The step that failed, for a retry to resume from. */
  readonly failedStep?: string;
  readonly bootLog?: readonly string[];
}

type CampaignLifecycleEvent = Exclude<CampaignEvent, { type: `HostUpgrade${string}` }>;

/**
 * Campaign lifecycle facts the campaign workflow records: the event catalog's campaign
 * events without the campaign id, which the activity adds. Who acted goes in the metadata.
 */
export type CampaignFact = CampaignLifecycleEvent extends infer E
  ? E extends { type: infer T; data: infer D }
    ? { readonly type: T; readonly data: Omit<D, 'campaignId'> }
    : never
  : never;
