import { barrierIdOf, barrierMembers, barrierWords, inPlay, isOpen, waitingAt, type CommitBarrierPolicy } from './barrier-groups';
import type { ApprovalPoint, CampaignApprovals, CampaignState, CampaignStatus, HostProgress, HostStatus } from './state';

/** How a campaign stands, as operators read it (CLI, API, the workflow's progress query). */
export interface CampaignProgress {
  readonly campaignId: string;
  readonly name: string;
  readonly targetBuild: string;
  readonly status: CampaignStatus;
  readonly wave: number;
  readonly waves: readonly { readonly index: number; readonly kind: 'canary' | 'wave'; readonly total: number; readonly counts: Readonly<Partial<Record<HostStatus, number>>> }[];
  readonly inFlight: number;
  readonly failed: number;
  readonly failureBudget: number;
  /** A ramp-up's rule, and how many hosts no wave has taken yet. */
  readonly rampUp?: { readonly start: number; readonly factor: number; readonly max: number; readonly unassigned: number };
  readonly haltReason?: string;
  /** Why it is paused (an operator, an approval wait, a timed pause). */
  readonly pauseReason?: string;
  readonly cancelReason?: string;
  /** With maintenance windows: open until `closesAt`, or closed until `opensAt`. */
  readonly window?: { readonly open: boolean; readonly opensAt?: string | null; readonly closesAt?: string };
  /** What the running campaign waits for, in plain words: "waiting for window (opens <ISO time>)", "waiting for gates after wave 1: error-rate". */
  readonly waitingFor?: string;
  /** With approvals: the plan's pause points, and the hosts waiting at each (in flight meanwhile). */
  readonly approvals?: CampaignApprovals;
  readonly awaitingApproval?: Readonly<Record<ApprovalPoint, readonly string[]>>;
  /** With a commit barrier: its policy, and how each barrier stands. */
  readonly commitBarrier?: CommitBarrierPolicy & { readonly barriers: readonly BarrierProgress[] };
  readonly hosts: readonly HostProgress[];
}

/** One commit barrier as operators read it: "waiting at the commit barrier of wave 1 (2 of 3 verified)". */
export interface BarrierProgress {
  /** `wave-<n>` or `campaign`. */
  readonly barrier: string;
  /** Every host behind it. */
  readonly hosts: number;
  /** Hosts behind it still upgrading or not started (its current round). */
  readonly inPlay: number;
  /** Hosts that verified and wait at it, not committed. */
  readonly verified: readonly string[];
  /** What it decided in its current round (absent: not yet), and why. */
  readonly decision?: 'commit' | 'rollback';
  readonly reason?: string;
}

export function progressOf(state: CampaignState): CampaignProgress {
  const counts = new Map<number, Partial<Record<HostStatus, number>>>();
  for (const host of state.hosts) {
    const wave = counts.get(host.wave) ?? {};
    wave[host.status] = (wave[host.status] ?? 0) + 1;
    counts.set(host.wave, wave);
  }
  return {
    campaignId: state.campaignId,
    name: state.plan.name,
    targetBuild: state.plan.targetBuild,
    status: state.status,
    wave: state.wave,
    waves: state.plan.waves.map((w, index) => ({ index, kind: w.kind, total: w.hostIds.length, counts: counts.get(index) ?? {} })),
    inFlight: state.running,
    failed: state.failed,
    failureBudget: state.plan.failureBudget,
    ...(state.plan.rampUp ? { rampUp: { ...state.plan.rampUp, unassigned: state.hosts.filter((h) => h.wave < 0).length } } : {}),
    ...(state.haltReason ? { haltReason: state.haltReason } : {}),
    ...(state.pause ? { pauseReason: state.pause.reason } : {}),
    ...(state.cancelReason ? { cancelReason: state.cancelReason } : {}),
    ...(state.window ? { window: state.window } : {}),
    ...waitingFor(state),
    ...(state.plan.approvals ? { approvals: state.plan.approvals, awaitingApproval: awaitingApproval(state) } : {}),
    ...(state.plan.commitBarrier ? { commitBarrier: { ...state.plan.commitBarrier, barriers: barriersOf(state) } } : {}),
    hosts: state.hosts,
  };
}

function awaitingApproval(state: CampaignState): Record<ApprovalPoint, string[]> {
  const waiting: Record<ApprovalPoint, string[]> = { stage: [], reboot: [], commit: [] };
  for (const host of state.hosts) if (host.status === 'running' && host.awaitingApproval) waiting[host.awaitingApproval].push(host.hostId);
  return waiting;
}

function waitingFor(state: CampaignState): { waitingFor?: string } {
  const approvals = state.plan.approvals ? Object.entries(awaitingApproval(state)).filter(([, ids]) => ids.length > 0) : [];
  if (approvals.length > 0 && state.status !== 'not-launched') {
    return { waitingFor: `hosts waiting for approval: ${approvals.map(([point, ids]) => `before ${point} ${ids.join(', ')}`).join('; ')}` };
  }
  const barrier = barriersOf(state).find((b) => b.decision === undefined && b.verified.length > 0);
  if (barrier && state.status !== 'not-launched') {
    return { waitingFor: `waiting at ${barrierWords(barrier.barrier)} (${barrier.verified.length} of ${barrier.inPlay} verified)` };
  }
  if (state.status !== 'running') return {};
  if (state.gating) {
    const left = (state.plan.gates ?? []).map((g) => g.name).filter((name) => !state.gating?.passed.includes(name));
    return { waitingFor: `waiting for gates after wave ${state.gating.afterWave}: ${left.join(', ')}` };
  }
  const hostsWait = state.hosts.some((h) => h.status === 'pending');
  if (state.window && !state.window.open && hostsWait) {
    if (state.window.checked === false) return { waitingFor: 'waiting for window (finding when the next one opens)' };
    return { waitingFor: state.window.opensAt ? `waiting for window (opens ${state.window.opensAt})` : 'waiting for window (no window ahead)' };
  }
  return {};
}

/** Every barrier with a host behind it, in wave order. */
function barriersOf(state: CampaignState): BarrierProgress[] {
  if (!state.plan.commitBarrier) return [];
  const ids: string[] = [];
  for (const host of state.hosts) {
    const id = barrierIdOf(state.plan, host.wave);
    if (id && !ids.includes(id)) ids.push(id);
  }
  return ids.map((barrier) => {
    const decided = isOpen(state, barrier) ? undefined : state.barriers?.[barrier];
    return {
      barrier,
      hosts: barrierMembers(state, barrier).length,
      inPlay: inPlay(state, barrier).length,
      verified: waitingAt(state, barrier).map((h) => h.hostId),
      ...(decided?.decision ? { decision: decided.decision, reason: decided.reason ?? '' } : {}),
    };
  });
}
