// The campaign's bookkeeping, as pure functions so that the scheduling rules are unit
// tested without Temporal, and the state can be carried across continue-as-new.
import type { HostOutcome, HostOutcomeKind } from '@bankswitch/activities';

export type HostStatus = 'pending' | 'running' | HostOutcomeKind;

export interface HostProgress {
  readonly hostId: string;
  readonly wave: number;
  readonly cluster: string;
  status: HostStatus;
  attempts: number;
  reason?: string;
  /** Who asked for the latest attempt, when not the launching operator (a retry). */
  operator?: string;
}

export type CampaignStatus = 'running' | 'paused' | 'awaiting-approval' | 'halted' | 'cancelled' | 'completed';

export interface CampaignState {
  status: CampaignStatus;
  wave: number;
  /** Waves whose WaveStarted / WaveFinished were recorded. */
  wavesStarted: number;
  wavesFinished: number;
  hosts: HostProgress[];
  pausedBy?: string;
  haltReason?: string;
  /** Distinguishes idempotency keys of retry runs. */
  retryRound: number;
  /** Sequence for keys of operator-driven facts (pause, resume). */
  factSeq: number;
}

export interface CampaignProgress {
  readonly campaignId: string;
  readonly name: string;
  readonly status: CampaignStatus;
  readonly wave: number;
  readonly waves: readonly { readonly index: number; readonly kind: 'canary' | 'wave'; readonly total: number; readonly counts: Readonly<Partial<Record<HostStatus, number>>> }[];
  readonly inFlight: number;
  readonly failed: number;
  readonly failureBudget: number;
  readonly haltReason?: string;
  readonly hosts: readonly HostProgress[];
}

const FAILED: readonly HostStatus[] = ['fell-back', 'rolled-back', 'failed'];
export const isFailed = (status: HostStatus): boolean => FAILED.includes(status);
export const isDone = (status: HostStatus): boolean => status !== 'pending' && status !== 'running';

export function initialCampaignState(waves: readonly { readonly hostIds: readonly string[] }[], clusters: Readonly<Record<string, string>>): CampaignState {
  return {
    status: 'running',
    wave: 0,
    wavesStarted: 0,
    wavesFinished: 0,
    hosts: waves.flatMap((w, wave) => w.hostIds.map((hostId) => ({ hostId, wave, cluster: clusters[hostId] ?? '', status: 'pending' as const, attempts: 0 }))),
    retryRound: 0,
    factSeq: 0,
  };
}

export function failedCount(state: CampaignState): number {
  return state.hosts.filter((h) => isFailed(h.status)).length;
}

export function inFlight(state: CampaignState): HostProgress[] {
  return state.hosts.filter((h) => h.status === 'running');
}

/**
 * The hosts of the current wave that may start now: pending ones, in plan order, while
 * fewer than maxInFlight run in all and fewer than maxPerCluster in their cluster.
 */
export function hostsToStart(state: CampaignState, limits: { maxInFlight: number; maxPerCluster?: number }): HostProgress[] {
  const running = inFlight(state);
  const perCluster = new Map<string, number>();
  for (const h of running) perCluster.set(h.cluster, (perCluster.get(h.cluster) ?? 0) + 1);
  const chosen: HostProgress[] = [];
  let slots = limits.maxInFlight - running.length;
  for (const host of state.hosts) {
    if (slots <= 0) break;
    if (host.wave !== state.wave || host.status !== 'pending') continue;
    const inCluster = perCluster.get(host.cluster) ?? 0;
    if (limits.maxPerCluster !== undefined && inCluster >= limits.maxPerCluster) continue;
    perCluster.set(host.cluster, inCluster + 1);
    chosen.push(host);
    slots -= 1;
  }
  return chosen;
}

export function waveComplete(state: CampaignState, wave: number): boolean {
  return state.hosts.every((h) => h.wave !== wave || isDone(h.status));
}

export function applyOutcome(state: CampaignState, outcome: HostOutcome): HostProgress | undefined {
  const host = state.hosts.find((h) => h.hostId === outcome.hostId);
  if (!host || host.status !== 'running') return undefined; // a late or duplicate report
  host.status = outcome.kind;
  host.reason = outcome.reason || undefined;
  return host;
}

/** Why the campaign must stop starting hosts, or undefined while it may go on. */
export function haltReason(state: CampaignState, failureBudget: number, canaryWave: boolean): string | undefined {
  const failed = state.hosts.filter((h) => isFailed(h.status));
  if (canaryWave && failed.some((h) => h.wave === 0)) {
    const first = failed.find((h) => h.wave === 0)!;
    return `canary host ${first.hostId} failed (${first.reason ?? first.status}); no other host was touched`;
  }
  if (failed.length > failureBudget) {
    return `${failed.length} hosts failed, more than the failure budget of ${failureBudget}`;
  }
  return undefined;
}

/** Puts failed (or cancelled) hosts back in the queue; returns the ids requeued. */
export function requeue(state: CampaignState, hostIds: readonly string[] | undefined, operator?: string): string[] {
  const wanted = hostIds ? new Set(hostIds) : undefined;
  const requeued: string[] = [];
  for (const host of state.hosts) {
    if (wanted && !wanted.has(host.hostId)) continue;
    if (!isFailed(host.status) && host.status !== 'cancelled') continue;
    host.status = 'pending';
    host.reason = undefined;
    host.operator = operator;
    requeued.push(host.hostId);
  }
  return requeued;
}

export function progressOf(
  state: CampaignState,
  input: { campaignId: string; name: string; failureBudget: number; waves: readonly { kind: 'canary' | 'wave' }[] },
): CampaignProgress {
  return {
    campaignId: input.campaignId,
    name: input.name,
    status: state.status,
    wave: state.wave,
    waves: input.waves.map((w, index) => {
      const counts: Partial<Record<HostStatus, number>> = {};
      let total = 0;
      for (const h of state.hosts) {
        if (h.wave !== index) continue;
        total += 1;
        counts[h.status] = (counts[h.status] ?? 0) + 1;
      }
      return { index, kind: w.kind, total, counts };
    }),
    inFlight: inFlight(state).length,
    failed: failedCount(state),
    failureBudget: input.failureBudget,
    haltReason: state.haltReason,
    hosts: state.hosts,
  };
}
