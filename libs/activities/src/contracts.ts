// What the workflows may ask of the world, and what they get back. Workflows import
// these types only (`import type`); the implementations are in this library.
import type { BankIndex, DriftDifference, HostAction, HostEndCause, HostEndState, ResumePoint, SkippedStep } from '@bankswitch/banks';
import type { CurrentCampaignEvent } from '@bankswitch/campaign';
import type { VsanMode } from '@bankswitch/host-driver';

export interface TargetImage {
  readonly build: string;
  readonly sha256: string;
  /** Where the image file is (a path the worker can read). */
  readonly payload: string;
  /** Base64 Ed25519 signature of the image's SHA-256 digest (32 bytes), checked against the worker's trusted keys before staging. */
  readonly signature?: string;
  /** Stage even when the target is older than the running build; the reason is recorded with the staged image. */
  readonly allowDowngrade?: { readonly reason: string };
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

/** Who puts a host in maintenance mode and takes it out: an upgrade of a campaign, or an operator's action (no campaign). */
export type MaintenanceStep = Pick<HostStep, 'hostId' | 'operator'> & { readonly campaignId: string | null };

export type PrecheckResult =
  | {
      readonly kind: 'ready';
      /** Where the upgrade starts: later than `stage` when the host shows earlier steps done. */
      readonly resumeFrom: ResumePoint;
      /** Steps skipped because the host already shows them done, each with why. */
      readonly skipped: readonly SkippedStep[];
      readonly bootId: string;
      readonly bootedBank: BankIndex;
      readonly runningBuild: string;
      /** Whether the host was in maintenance mode when the upgrade looked at it first (absent in results of older workers). */
      readonly maintenanceMode?: boolean;
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

/** How a host's upgrade ended: one of the host end states, why, and for a host that needs attention what would settle it. */
export interface HostOutcome {
  readonly hostId: string;
  readonly attempt: number;
  readonly endState: HostEndState;
  readonly cause: HostEndCause;
  /** Which step, what was expected, what was observed; empty for a success. */
  readonly reason: string;
  /** The step that went wrong, for a retry to resume from. */
  readonly failedStep?: string;
  readonly bootLog?: readonly string[];
  readonly settle?: string;
  /** The host could not be reached: the workflow watches for it and settles it when it answers. */
  readonly unreachable?: boolean;
}

/** What settling a stopped upgrade did, read from the host itself. */
export interface Settled {
  readonly endState: HostEndState;
  readonly detail: string;
  readonly settle?: string;
  readonly unreachable: boolean;
  readonly bootLog: readonly string[];
}

export interface HostActionRequest {
  readonly hostId: string;
  readonly action: HostAction;
  readonly reason: string;
  readonly by: string;
  /** How long a reboot (of a rollback) may take. */
  readonly rebootTimeoutMs: number;
  /** A rollback runs in maintenance mode: how long evacuation may take, and vSAN's mode. Default 30 minutes, ensureObjectAccessibility. */
  readonly maintenance?: { readonly timeoutMs: number; readonly vsanMode: VsanMode };
}

/** The decider accepts the action (nothing was done yet), or refuses it and says why. */
export type HostActionRuling = { readonly kind: 'accepted'; readonly maintenanceMode?: boolean } | Extract<HostActionResult, { kind: 'refused' }>;

export type HostActionResult =
  | { readonly kind: 'done'; readonly hostId: string; readonly action: HostAction; readonly endState: HostEndState; readonly detail: string; readonly settle?: string }
  | { readonly kind: 'refused'; readonly hostId: string; readonly action: HostAction; readonly reason: string };

/** An append of campaign events decided by the campaign workflow, at the version it decided on. */
export interface CampaignAppend {
  readonly campaignId: string;
  readonly events: readonly CurrentCampaignEvent[];
  readonly expectedVersion: number;
  readonly operator?: string;
}

/**
 * What one look at a host found, for the drift watch:
 * - unchanged: the host shows what its history says;
 * - first-sight: the first look ever, recorded as its baseline;
 * - drifted: changed out of band, recorded (`DriftDetected`, then `BankStateObserved`);
 * - key-mismatch: another SSH host key than the pinned one, recorded (`HostKeyMismatch`);
 * - busy: an upgrade or an operator's action holds the host: left to it;
 * - unreachable, login-refused, failed: nothing could be read; nothing recorded.
 */
export const OBSERVATION_OUTCOMES = ['unchanged', 'first-sight', 'drifted', 'key-mismatch', 'busy', 'unreachable', 'login-refused', 'failed'] as const;
export type ObservationOutcome = (typeof OBSERVATION_OUTCOMES)[number];

export interface HostObservation {
  readonly hostId: string;
  readonly outcome: ObservationOutcome;
  /** drifted, key-mismatch: what differs from the history. */
  readonly differences?: readonly DriftDifference[];
  /** Why nothing could be read, or what holds the host. */
  readonly detail?: string;
}
