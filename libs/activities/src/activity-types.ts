// The activity surface, as the workflows see it (types only). Each activity appends
// its events idempotently, so Temporal may run any of them twice.
import type {
  BootObservation,
  CampaignAppend,
  HostActionRequest,
  HostActionResult,
  HostActionRuling,
  HostObservation,
  HostOutcome,
  HostStep,
  MaintenanceStep,
  PrecheckResult,
  Settled,
  TargetImage,
  VerifyResult,
} from './contracts';
import type { VsanMode } from '@bankswitch/host-driver';
import type { AwaitHostEnds, HostEnds } from './host-ends';
import type { FindEndedHostWorkflows, HostWorkflowStarted, StartHostWorkflows } from './host-workflows';
import type { MaintenanceWindow, WindowState } from '@bankswitch/campaign-spec';

export interface HostUpgradeActivities {
  /** Reads the host, records drift or first sight, and plans the upgrade (or refuses it before anything is written). */
  precheckHost(input: HostStep & { target: TargetImage; waiveUncommittedRunning: boolean }): Promise<PrecheckResult>;
  /** Maintenance mode before anything is written (VMs evacuated within `timeoutMs`); refused, final, when the host cannot get there. */
  enterMaintenanceMode(input: MaintenanceStep & { timeoutMs: number; vsanMode: VsanMode; wasInMaintenance?: boolean }): Promise<{ entered: boolean }>;
  /** Out of maintenance mode once the upgrade (or an operator's rollback) is decided. */
  exitMaintenanceMode(input: MaintenanceStep): Promise<void>;
  /** Writes the image into the inactive bank (never the running one), once the decider accepted it. */
  stageImage(input: HostStep & { target: TargetImage; waiveUncommittedRunning: boolean }): Promise<void>;
  /** Reboots into the staged image (the decider checks one is staged); returns the boot id it had. */
  rebootHost(input: HostStep & { bootId: string; build: string }): Promise<{ bootIdBefore: string }>;
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
  /** Leaves a host whose upgrade stopped decided: abandons, rolls back, or says what would settle it. */
  settleHost(input: HostStep & { target: TargetImage; reason: string; waitMs: number; rebootTimeoutMs: number; knownBootId?: string; verified?: boolean }): Promise<Settled>;
  /** `UpgradeEnded` in the host's stream: its end state, why, and what would settle it. */
  recordUpgradeEnd(input: HostStep & { outcome: HostOutcome; target: TargetImage }): Promise<void>;
  /** A pause point of the campaign's approvals in the host's stream: waiting (`granted: false`) or approved by `by`. */
  recordHostApproval(input: HostStep & { point: 'stage' | 'reboot' | 'commit'; granted: boolean; by?: string | null }): Promise<void>;
  /** Commit barrier in the host's stream: reached (verified, waiting uncommitted), or the campaign's decision for it. */
  recordCommitBarrier(input: HostStep & { barrier: string; released?: { decision: 'commit' | 'rollback'; reason: string } }): Promise<void>;
  /** One look: does the host answer now? */
  probeHost(input: { hostId: string }): Promise<{ reachable: boolean }>;
  /** The decider's ruling on an operator's action, from the host as it answers now: nothing is done to it. */
  ruleOnHostAction(input: HostActionRequest): Promise<HostActionRuling>;
  /** An operator's rollback, abandon, commit or observe of one host. */
  takeHostAction(input: HostActionRequest): Promise<HostActionResult>;
}

export interface DriftWatchActivities {
  /** A page of the inventory's host ids, in id order, after `after`. */
  listHostIds(input: { after: string | null; limit: number }): Promise<readonly string[]>;
  /** Looks at each host and records what changed out of band; a host that an upgrade or action holds is left to it. */
  observeHosts(input: { hostIds: readonly string[]; by: string }): Promise<HostObservation[]>;
}

export interface CampaignActivities {
  /** Appends what the campaign decider decided, at the version it decided on (idempotent). */
  appendCampaignEvents(input: CampaignAppend): Promise<void>;
  /** Whether a maintenance window is open at `at` (ms), and until when (a local activity: cron arithmetic, no I/O). */
  maintenanceWindowAt(input: { windows: readonly MaintenanceWindow[]; at: number }): Promise<WindowState>;
  /** One sample of a gate: the first value of a Prometheus instant query (`/api/v1/query`), or null and why. */
  queryGate(input: { url: string; query: string }): Promise<{ value: number | null; detail: string }>;
  /** Starts hosts' upgrade workflows through the client, together; per host: started, or held by another operation (idempotent). */
  startHostWorkflows(input: StartHostWorkflows): Promise<HostWorkflowStarted[]>;
  /** Of hosts that have not reported for a while: how those whose upgrade workflow is no longer running ended. */
  findEndedHostWorkflows(input: FindEndedHostWorkflows): Promise<HostOutcome[]>;
  /** Waits for the campaign's hosts to record their ends in the log after a point, and answers with them together. */
  awaitHostEnds(input: AwaitHostEnds): Promise<HostEnds>;
}

export type BankswitchActivities = HostUpgradeActivities & CampaignActivities & DriftWatchActivities;
