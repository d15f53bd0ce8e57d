import type { LogCursor, TargetImage } from '@bankswitch/activities';
import type { CommitBarrierPolicy, CampaignApprovals, CampaignGate, CampaignState, CampaignWindow, CurrentCampaignEvent, HostReport, PauseBetweenWaves, RampUp } from '@bankswitch/campaign';
import type { CompactCampaignState } from './carried-state';
import type { HostUpgradeTimeouts, MaintenanceOptions } from './host-upgrade-input';

export interface CampaignInput {
  readonly campaignId: string;
  readonly name: string;
  readonly target: TargetImage;
  /** Wave 0 is the canary wave when its kind says so: any failure there halts the campaign. */
  readonly waves: readonly { readonly kind: 'canary' | 'wave'; readonly hostIds: readonly string[] }[];
  /** Cluster of each planned host, for the per-cluster limit. (Both read at launch only: continue-as-new runs carry them in `carried.plan` and get them empty.) */
  readonly clusters: Readonly<Record<string, string>>;
  readonly maxInFlight: number;
  readonly maxPerCluster?: number;
  /** Failed hosts tolerated; one more halts the campaign. */
  readonly failureBudget: number;
  readonly pauseBetweenWaves: PauseBetweenWaves;
  /** Waves sized as the campaign goes; `waves` are then the ones a campaign with no failure runs (absent: fixed waves). */
  readonly rampUp?: RampUp | null;
  /** Maintenance windows: hosts start only inside one (absent: at any time). */
  readonly windows?: readonly CampaignWindow[];
  /** Health gates after the canary and each wave (absent: none). */
  readonly gates?: readonly CampaignGate[];
  /** Pause points inside each host's upgrade (absent: none). */
  readonly approvals?: CampaignApprovals;
  /** The fleet commit barrier: hosts wait, verified and uncommitted, until every host behind their barrier verified (absent: each commits on its own). */
  readonly commitBarrier?: CommitBarrierPolicy;
  readonly timeouts: HostUpgradeTimeouts;
  readonly maintenance?: MaintenanceOptions;
  readonly checks: readonly string[];
  readonly waiveRollbackImage: readonly string[];
  readonly operator?: string;
  /**
   * How often the campaign looks for host workflows that ended without reporting (patch
   * `campaign-starts-hosts-by-activity`; default 5 minutes; tests set it short).
   */
  readonly hostWatchMs?: number;
  /** A continue-as-new run: when the last run's watch interval began (epoch ms), so that continuing as new does not put the watch off. */
  readonly hostWatchFrom?: number;
  /** A continue-as-new run: where the last run had read its hosts' ends in the event log (patch `campaign-takes-host-ends-from-log`). */
  readonly hostEndsAfter?: LogCursor | null;
  /** History length after which a run continues as new (default 8,000; tests set it low). */
  readonly continueAsNewAfterEvents?: number;
  /** Continue-as-new and retry runs start from this state (the campaign's events folded). */
  readonly carried?: CampaignState;
  /** A continue-as-new run: the state in its compact form (carried-state.ts), instead of `carried`. */
  readonly carriedCompact?: CompactCampaignState;
  /** A retry run: requeue these failed or cancelled hosts (all of them when empty) first. */
  readonly retry?: { readonly hostIds?: readonly string[]; readonly by?: string };
  /**
   * A retry run: how hosts ended that the events show running while the campaign's
   * workflow was gone (from their own histories, or needs-attention when their upgrade
   * workflow is gone too).
   */
  readonly endedMeanwhile?: readonly HostReport[];
  /**
   * A continue-as-new run: events the last run decided (they are in `carried` already) but
   * had not appended yet, in order. This run appends them and does what they call for
   * before anything else, so that a run can continue as new while hosts keep reporting.
   */
  readonly pending?: readonly PendingEvents[];
  /** A continue-as-new run: when each commit barrier round under way times out (`<barrier>#<round>` → epoch ms). */
  readonly barrierDeadlines?: Readonly<Record<string, number>>;
}

/** Events decided together, waiting to be appended. */
export interface PendingEvents {
  readonly events: readonly CurrentCampaignEvent[];
  /** The stream version they were decided on: the append's expected version. */
  readonly version: number;
  readonly operator?: string;
}
