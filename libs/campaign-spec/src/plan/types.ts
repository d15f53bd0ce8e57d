import type { CampaignApprovals, CampaignGate, CampaignTarget, CommitScope, MaintenanceWindow, RampUp } from '../spec/types';

/** A host as the inventory knows it. */
export interface InventoryHost {
  readonly id: string;
  readonly name: string;
  readonly cluster: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly address?: string;
  readonly driver?: string;
}

/** What the event store knows about a host's two banks. */
export interface HostBankState {
  readonly bootedBuild: string;
  /** The booted bank reached VALID and was recorded: a known-good image. */
  readonly bootedBankCommitted: boolean;
  readonly alternateBuild: string | null;
  /** The alternate bank holds a VALID image (a rollback is possible today). */
  readonly alternateValid: boolean;
}

/** Host id → bank state. */
export type HostBanks = Readonly<Record<string, HostBankState>> | ReadonlyMap<string, HostBankState>;

export interface PlannedWave {
  /** 0 is the canary. */
  readonly index: number;
  readonly kind: 'canary' | 'wave';
  /** The spec entry that sized it: `strategy.canary`, `strategy.waves[i]` or `strategy.rampUp`. */
  readonly source: string;
  /** Sorted by cluster, then name. */
  readonly hostIds: readonly string[];
}

export type PlanWarningKind =
  | 'already-on-target'
  | 'rollback-image-overwritten'
  | 'no-known-good-image'
  | 'bank-state-unknown'
  | 'last-wave-grows'
  | 'waves-unused'
  | 'nothing-to-upgrade'
  | 'downgrade';

export interface PlanWarning {
  readonly kind: PlanWarningKind;
  readonly hostId?: string;
  readonly message: string;
}

/** Plain data (JSON-serialisable): safe to pass into a Temporal workflow. */
export interface CampaignPlan {
  readonly campaign: string;
  readonly target: CampaignTarget;
  /** Every selected host, by cluster then name (including skipped ones). */
  readonly hosts: readonly InventoryHost[];
  /** Selected hosts left out of the waves (already on the target build). */
  readonly skipped: readonly string[];
  /** Every selected, non-skipped host is in exactly one wave. */
  readonly waves: readonly PlannedWave[];
  /** Failed hosts tolerated; one more halts the campaign. */
  readonly failureBudget: number;
  /**
   * Waves sized as the campaign goes (null: the fixed waves above). The waves above are
   * then the ones a campaign with no failure would run; after a wave with a failure the
   * next one drops back to `start`.
   */
  readonly rampUp: RampUp | null;
  /** Maintenance windows: hosts start only inside one (empty: at any time). */
  readonly windows: readonly MaintenanceWindow[];
  /** The next windows from the time the plan was made (ISO times; empty without windows). */
  readonly nextWindows: readonly { readonly opensAt: string; readonly closesAt: string }[];
  /** Health gates checked after the canary and each wave before the next one starts. */
  readonly gates: readonly CampaignGate[];
  /** Pause points inside each host's upgrade: which hosts wait for an operator's approval before the stage, the reboot, the commit. */
  readonly approvals: CampaignApprovals;
  /** The fleet commit barrier: `host` (none), `wave` or `campaign`, and how long a barrier holds verified hosts before it rolls them back. */
  readonly commit: { readonly scope: CommitScope; readonly timeoutMs: number };
  readonly warnings: readonly PlanWarning[];
}
