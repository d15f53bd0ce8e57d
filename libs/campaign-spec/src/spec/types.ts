// The validated campaign spec as the rest of the engine sees it: defaults filled in,
// durations in milliseconds, quantities still symbolic (they depend on the fleet and
// are resolved by planCampaign).
import type { Quantity } from './quantity';

export interface CampaignTarget {
  /** ESXi build string, e.g. 8.0.3-0.0.24022510. */
  readonly build: string;
  /** Location of the image file. */
  readonly payload: string;
  /** Lower-case hex SHA-256 of the image file. */
  readonly sha256: string;
  /** Base64 Ed25519 signature of the 32-byte SHA-256 digest, checked by the worker against its trusted keys before staging. */
  readonly signature?: string;
  /** Stage even where the target is older than the running build; the reason is recorded with each staged image. */
  readonly allowDowngrade?: { readonly reason: string };
}

/** Every selector given must match (AND); within `names` and `clusters`, any entry matches. */
export interface HostSelector {
  /** Host names or ids. */
  readonly names?: readonly string[];
  readonly clusters?: readonly string[];
  /** Every key/value must match the host's labels. */
  readonly labels?: Readonly<Record<string, string>>;
}

export type WavePause =
  | { readonly kind: 'none' }
  | { readonly kind: 'manual' }
  | { readonly kind: 'timed'; readonly ms: number };

export interface CampaignTimeouts {
  readonly stageMs: number;
  readonly rebootMs: number;
  readonly verifyMs: number;
  /** With a commit barrier: how long it holds verified hosts, from the first host reaching it, before it rolls them back. */
  readonly barrierMs: number;
}

/** How hosts enter maintenance mode before they are staged and rebooted. */
export interface CampaignMaintenance {
  /** How long evacuating a host's VMs may take; a host that does not make it is left untouched. */
  readonly timeoutMs: number;
  /** vSAN's evacuation mode (esxcli system maintenanceMode set --vsanmode). */
  readonly vsanMode: 'ensureObjectAccessibility' | 'evacuateAllData' | 'noAction';
}

/** Success-driven waves: `start`, then `factor` × the last while it had no failure, at most `max`; back to `start` after a failure. */
export interface RampUp {
  readonly start: number;
  readonly factor: number;
  readonly max: number;
}

/** Hosts start only while one of these is open: from each cron occurrence (in `timezone`) for `durationMs`. */
export interface MaintenanceWindow {
  readonly cron: string;
  readonly durationMs: number;
  /** IANA timezone name, e.g. Europe/Berlin. */
  readonly timezone: string;
}

/** What a gate's value must satisfy: `value op threshold`. */
export interface GateExpectation {
  readonly op: '<' | '<=' | '>' | '>=' | '==' | '!=';
  readonly value: number;
}

/** A health gate: after the canary and each wave, a Prometheus query must satisfy `expect` for `forMs`. */
export interface CampaignGate {
  readonly name: string;
  readonly prometheus: { readonly url: string; readonly query: string };
  readonly expect: GateExpectation;
  readonly forMs: number;
  /** halt: the campaign halts; pause: it pauses until an operator resumes. */
  readonly onFail: 'halt' | 'pause';
}

/** Which hosts wait for an operator's approval at a point of their upgrade: the canary wave's, every host, or none. */
export type ApprovalScope = 'canary' | 'all' | 'none';
export const APPROVAL_POINTS = ['stage', 'reboot', 'commit'] as const;
/** A pause point inside a host's upgrade: before the stage, before the reboot, before the commit. */
export type ApprovalPoint = (typeof APPROVAL_POINTS)[number];

/** Pause points inside each host's upgrade, approved per host or for all waiting hosts at once (default: none). */
export interface CampaignApprovals {
  readonly beforeStage: ApprovalScope;
  readonly beforeReboot: ApprovalScope;
  readonly beforeCommit: ApprovalScope;
}

/** When verified hosts commit: each on its own (`host`), a wave's hosts together (`wave`), every host together (`campaign`). */
export type CommitScope = 'host' | 'wave' | 'campaign';

export interface CampaignStrategy {
  readonly canary: Quantity;
  /** Fixed waves; ignored (left at the default) when `rampUp` sizes them. */
  readonly waves: readonly Quantity[];
  /** Waves sized as the campaign goes; null: the fixed `waves`. */
  readonly rampUp: RampUp | null;
  readonly maxInFlight: number;
  readonly maxPerCluster: number | null;
  readonly failureBudget: Quantity;
  readonly pauseBetweenWaves: WavePause;
  readonly timeouts: CampaignTimeouts;
  readonly maintenance: CampaignMaintenance;
}

/** A health check the host agent runs after the host came back. Add types to the union. */
export type HealthCheck = { readonly type: 'health'; readonly name: string };

export interface CampaignVerification {
  readonly checks: readonly HealthCheck[];
  /** When true, a host left without a known-good rollback image needs a waiver. */
  readonly requireRollbackImage: boolean;
  /** Host names or ids allowed to proceed without a known-good rollback image. */
  readonly waiveRollbackImage: readonly string[];
}

export interface CampaignSpec {
  readonly name: string;
  readonly description?: string;
  readonly target: CampaignTarget;
  readonly hosts: HostSelector;
  readonly strategy: CampaignStrategy;
  readonly verification: CampaignVerification;
  /** Maintenance windows (empty: hosts may start at any time). */
  readonly windows: readonly MaintenanceWindow[];
  /** Health gates between waves (empty: none). */
  readonly gates: readonly CampaignGate[];
  /** Pause points inside each host's upgrade (every key `none` by default). */
  readonly approvals: CampaignApprovals;
  /** The fleet commit barrier (default `host`: no barrier). */
  readonly commit: CommitScope;
}
