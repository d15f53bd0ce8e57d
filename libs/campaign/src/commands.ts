import type { HostEndCause, HostEndState } from '@bankswitch/banks';
import type { ApprovalPoint, CampaignPlan } from './state';

/** How a host's upgrade ended, as its workflow reports it to the campaign. */
export interface HostReport {
  readonly hostId: string;
  readonly attempt: number;
  readonly endState: HostEndState;
  readonly cause: HostEndCause;
  readonly reason: string;
  readonly settle?: string | null;
}

/** What can happen to a campaign; `decide` turns each into events, or refuses it. */
export type CampaignCommand =
  | { readonly type: 'Launch'; readonly plan: CampaignPlan }
  /** A host's upgrade reported its end (or, later, settled a host that needed attention). */
  | { readonly type: 'HostFinished'; readonly report: HostReport }
  /** The campaign could not hand the host to an upgrade workflow (another operation on it runs). */
  | { readonly type: 'HostStartFailed'; readonly hostId: string; readonly reason: string }
  | { readonly type: 'Pause'; readonly by?: string; readonly reason?: string }
  | { readonly type: 'Resume'; readonly by?: string }
  /** Approval of the next wave while the campaign waits for it. */
  | { readonly type: 'Approve'; readonly by?: string }
  /** Requeue failed or cancelled hosts (all of them when `hostIds` is absent). */
  | { readonly type: 'Retry'; readonly by?: string; readonly hostIds?: readonly string[] }
  | { readonly type: 'Cancel'; readonly by?: string; readonly reason?: string }
  /** The timer of a timed pause after `wave` went off. */
  | { readonly type: 'TimerFired'; readonly timer: 'pause-between-waves'; readonly wave: number }
  /** The maintenance windows as they stand now (the workflow asks when one opens or closes). */
  | {
      readonly type: 'WindowChecked';
      readonly window: { readonly open: true; readonly closesAt: string } | { readonly open: false; readonly opensAt: string | null };
    }
  /** A host's upgrade reached a pause point of the campaign's approvals and waits for an operator there. */
  | { readonly type: 'HostAwaitingApproval'; readonly hostId: string; readonly attempt: number; readonly point: ApprovalPoint }
  /** An operator approves waiting hosts: those named (all waiting ones when absent), at `point` (any point when absent). */
  | { readonly type: 'ApproveHosts'; readonly by?: string; readonly hostIds?: readonly string[]; readonly point?: ApprovalPoint }
  /** Commit barrier: a host's upgrade verified its new image and waits at its barrier, not committed. */
  | { readonly type: 'HostAwaitingCommit'; readonly hostId: string; readonly attempt: number }
  /** Commit barrier: the barrier's time (from its round's first arrival) is up. */
  | { readonly type: 'BarrierTimedOut'; readonly barrier: string; readonly round: number }
  /** A gate after `afterWave` was sampled over its `for` window: the values seen, in order (null: no value), and why one is missing. */
  | { readonly type: 'GateChecked'; readonly afterWave: number; readonly gate: string; readonly values: readonly (number | null)[]; readonly detail?: string };

export type CampaignCommandOf<T extends CampaignCommand['type']> = Extract<CampaignCommand, { type: T }>;
