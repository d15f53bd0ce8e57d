import type { HostEndCause, HostEndState } from '@bankswitch/banks';
import type { BarrierState, CommitBarrierPolicy } from './barrier-groups';

/** Success-driven waves: `start`, then `factor` × the last while it had no failure, at most `max`; back to `start` after one. */
export interface RampUp {
  readonly start: number;
  readonly factor: number;
  readonly max: number;
}

/** A maintenance window: from each cron occurrence (in `timezone`) for `durationMs`. */
export interface CampaignWindow {
  readonly cron: string;
  readonly durationMs: number;
  readonly timezone: string;
}

/** A health gate: its value must satisfy `value op threshold` for `forMs` after a wave. */
export interface CampaignGate {
  readonly name: string;
  readonly prometheus: { readonly url: string; readonly query: string };
  readonly expect: { readonly op: '<' | '<=' | '>' | '>=' | '==' | '!='; readonly value: number };
  readonly forMs: number;
  readonly onFail: 'halt' | 'pause';
}

/** Whether a gate's value satisfies its expectation. */
export function gateHolds(expect: CampaignGate['expect'], value: number | null): boolean {
  if (value === null || Number.isNaN(value)) return false;
  switch (expect.op) {
    case '<':
      return value < expect.value;
    case '<=':
      return value <= expect.value;
    case '>':
      return value > expect.value;
    case '>=':
      return value >= expect.value;
    case '==':
      return value === expect.value;
    case '!=':
      return value !== expect.value;
  }
}

/** A pause point inside a host's upgrade: before the stage, before the reboot, before the commit. */
export const APPROVAL_POINTS = ['stage', 'reboot', 'commit'] as const;
export type ApprovalPoint = (typeof APPROVAL_POINTS)[number];
/** Which hosts wait for an operator's approval at a point: the canary wave's, every host, or none. */
export type ApprovalScope = 'canary' | 'all' | 'none';
export interface CampaignApprovals {
  readonly beforeStage: ApprovalScope;
  readonly beforeReboot: ApprovalScope;
  readonly beforeCommit: ApprovalScope;
}

/**
 * The decider's rule for approvals: the points at which a host of `wave` waits for an
 * operator (`canary`: only hosts of the canary wave; `all`: every host), in upgrade order.
 */
export function approvalPointsFor(plan: Pick<CampaignPlan, 'approvals' | 'waves'>, wave: number): readonly ApprovalPoint[] {
  const approvals = plan.approvals;
  if (!approvals) return [];
  const canary = wave === 0 && plan.waves[0]?.kind === 'canary';
  const waits = (scope: ApprovalScope) => scope === 'all' || (scope === 'canary' && canary);
  return APPROVAL_POINTS.filter((point) => waits(approvals[APPROVAL_KEYS[point]]));
}
export const APPROVAL_KEYS = { stage: 'beforeStage', reboot: 'beforeReboot', commit: 'beforeCommit' } as const satisfies Record<ApprovalPoint, keyof CampaignApprovals>;

export type PauseBetweenWaves = { readonly kind: 'none' } | { readonly kind: 'manual' } | { readonly kind: 'timed'; readonly ms: number };

/** The campaign's plan, as launched: it never changes afterwards. */
export interface CampaignPlan {
  readonly name: string;
  readonly targetBuild: string;
  /** Wave 0 is the canary wave when its kind says so: any failure there halts the campaign. */
  readonly waves: readonly { readonly kind: 'canary' | 'wave'; readonly hostIds: readonly string[] }[];
  /** Cluster of each planned host, for the per-cluster limit. */
  readonly clusters: Readonly<Record<string, string>>;
  readonly maxInFlight: number;
  readonly maxPerCluster: number | null;
  /** Failed hosts tolerated; one more halts the campaign. */
  readonly failureBudget: number;
  readonly pauseBetweenWaves: PauseBetweenWaves;
  /** Who launched it: the operator hosts act for, unless a retry names another. */
  readonly launchedBy: string | null;
  /**
   * Waves sized as the campaign goes (absent or null: the fixed waves). Then `waves` holds
   * the canary and the waves started so far; the other hosts wait unassigned (wave -1),
   * in plan order, and each WaveStarted takes the next ones.
   */
  readonly rampUp?: RampUp | null;
  /** Hosts start only inside one of these (absent or empty: at any time). */
  readonly windows?: readonly CampaignWindow[] | null;
  /** Checked after the canary and each wave, before the next starts (absent or empty: none). */
  readonly gates?: readonly CampaignGate[] | null;
  /** Pause points inside each host's upgrade (absent or null: none). */
  readonly approvals?: CampaignApprovals | null;
  /** The fleet commit barrier (absent or null: `commit: host`, each host commits on its own). */
  readonly commitBarrier?: CommitBarrierPolicy | null;
}

/** A host in the campaign: waiting, upgrading, or ended in one of the host end states. */
export type HostStatus = 'pending' | 'running' | HostEndState;

export interface HostProgress {
  readonly hostId: string;
  /** -1: not yet in a wave (ramp-up). */
  readonly wave: number;
  readonly cluster: string;
  readonly status: HostStatus;
  /** Why it ended there (succeeded, already on target, refused, failed, cancelled). */
  readonly cause?: HostEndCause;
  readonly attempts: number;
  readonly reason?: string;
  /** For a host that needs attention: the action that would settle it. */
  readonly settle?: string;
  /** Who asked for the latest attempt, when not the launching operator (a retry). */
  readonly operator?: string;
  /** A running host waiting for an operator's approval at this point of its upgrade. */
  readonly awaitingApproval?: ApprovalPoint;
  /** A running host that verified and waits at this commit barrier (new image booted, not committed). */
  readonly awaitingCommit?: string;
}

export type CampaignStatus = 'not-launched' | 'running' | 'paused' | 'awaiting-approval' | 'halted' | 'cancelled' | 'completed';

export interface CampaignPause {
  readonly kind: 'operator' | 'approval' | 'timed' | 'gate';
  readonly reason: string;
  /** A timed pause's length, and the wave it follows (the timer that ends it names that wave). */
  readonly ms?: number;
  readonly afterWave?: number;
}

/**
 * The campaign as its events say it is. Large fleets have thousands of hosts, so the
 * counters a decision needs are kept here rather than recounted at every event.
 */
export interface CampaignState {
  readonly campaignId: string;
  readonly status: CampaignStatus;
  readonly plan: CampaignPlan;
  /** The wave hosts are being started from (earlier waves' retried hosts start too). */
  readonly wave: number;
  /** Waves whose WaveFinished is recorded (waves finish in order). */
  readonly wavesFinished: number;
  /** The pause before each wave up to this one was waited out (approved, or its time passed). */
  readonly gapsWaited: number;
  readonly hosts: readonly HostProgress[];
  /** Position of each host in `hosts`. */
  readonly index: Readonly<Record<string, number>>;
  readonly running: number;
  readonly runningByCluster: Readonly<Record<string, number>>;
  readonly failed: number;
  readonly pause?: CampaignPause;
  /**
   * With maintenance windows: open (until `closesAt`) or closed (until `opensAt`; null:
   * never again); `checked: false` from launch until the workflow has asked the clock.
   */
  readonly window?: { readonly open: true; readonly closesAt: string } | { readonly open: false; readonly opensAt: string | null; readonly checked?: false };
  /** Gates after each wave up to this one passed (or were resumed past). */
  readonly gatesPassed: number;
  /** Gates being evaluated after `afterWave`, and those that passed so far. */
  readonly gating?: { readonly afterWave: number; readonly passed: readonly string[] };
  /** The commit barriers that have decided or were reopened by a retry, by barrier id (`wave-<n>`, `campaign`). */
  readonly barriers?: Readonly<Record<string, BarrierState>>;
  readonly haltReason?: string;
  readonly cancelReason?: string;
  /** Events folded so far: the stream version, the expected version of the next append. */
  readonly version: number;
}

export const EMPTY_PLAN: CampaignPlan = {
  name: '',
  targetBuild: '',
  waves: [],
  clusters: {},
  maxInFlight: 1,
  maxPerCluster: null,
  failureBudget: 0,
  pauseBetweenWaves: { kind: 'none' },
  launchedBy: null,
};

export function initialState(campaignId: string): CampaignState {
  return { campaignId, status: 'not-launched', plan: EMPTY_PLAN, wave: 0, wavesFinished: 0, gapsWaited: 0, gatesPassed: 0, hosts: [], index: {}, running: 0, runningByCluster: {}, failed: 0, version: 0 };
}

const FAILED_CAUSES: readonly (HostEndCause | undefined)[] = ['refused', 'failed'];
/** A host counts against the failure budget when its upgrade failed or was refused (not when it was cancelled). */
export const isFailed = (host: Pick<HostProgress, 'status' | 'cause'>): boolean => isDone(host) && FAILED_CAUSES.includes(host.cause);
export const isDone = (host: Pick<HostProgress, 'status'>): boolean => host.status !== 'pending' && host.status !== 'running';
export const isSucceeded = (host: Pick<HostProgress, 'status' | 'cause'>): boolean => host.cause === 'succeeded' || host.cause === 'already-on-target';
/** Failed or cancelled hosts may be retried. */
export const isRetryable = (host: HostProgress): boolean => isDone(host) && !isSucceeded(host);
/** The workflow is still needed while it runs hosts or may start more. */
export const isEnded = (state: CampaignState): boolean =>
  state.running === 0 && (state.status === 'completed' || state.status === 'cancelled' || state.status === 'halted');
