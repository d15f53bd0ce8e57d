import type { TargetImage } from '@bankswitch/activities';
import type { ApprovalPoint } from '@bankswitch/campaign';

export interface HostUpgradeTimeouts {
  readonly stageMs: number;
  /** How long a rebooting host may take to come back before it counts as lost. */
  readonly rebootMs: number;
  readonly verifyMs: number;
  /**
   * How long the workflow keeps watching a host that stopped answering (it needs
   * attention meanwhile), to settle it as soon as it answers. Default one hour.
   */
  readonly watchMs?: number;
  /** How long entering maintenance mode may take (the activity's bound). */
  readonly maintenanceMs?: number;
}

/** Maintenance mode around the upgrade: how long evacuation may take, and vSAN's mode. */
export interface MaintenanceOptions {
  readonly timeoutMs: number;
  readonly vsanMode: 'ensureObjectAccessibility' | 'evacuateAllData' | 'noAction';
}

export interface HostUpgradeInput {
  readonly hostId: string;
  readonly campaignId: string;
  /** The campaign wave the host belongs to (0 = canary). */
  readonly wave: number;
  readonly target: TargetImage;
  readonly timeouts: HostUpgradeTimeouts;
  /** Absent in inputs of the first engine's runs: then 30 minutes, ensureObjectAccessibility. */
  readonly maintenance?: MaintenanceOptions;
  readonly checks: readonly string[];
  /** Stage even over a running image that booted but was never committed (the operator said so). */
  readonly waiveRollbackImage: boolean;
  /** A retry resumes from the step the host shows it reached. */
  readonly attempt: number;
  /** The campaign workflow to tell when this host is done (by workflow id, so it reaches its latest run). */
  readonly parentWorkflowId?: string;
  /**
   * 'event-log': the campaign reads the host's end from the `UpgradeEnded` it records (patch
   * `campaign-takes-host-ends-from-log`), and the host signals only a later settlement of
   * a host that needed attention. Absent: the host signals every end to the campaign.
   */
  readonly reportEndBy?: 'event-log';
  readonly operator?: string;
  /** Pause points where the host waits for an operator's approval (absent: none; inputs of runs started before approvals existed). */
  readonly approvals?: readonly ApprovalPoint[];
  /**
   * Commit barrier: once verified the host waits at this barrier of its campaign, not
   * committed, until the campaign decides (absent: it commits at once; inputs of runs
   * started before the barrier existed). `timeoutMs`: the campaign's bound, which it enforces.
   */
  readonly commitBarrier?: { readonly barrier: string; readonly timeoutMs: number };
}
