// The campaign's scheduling rules: which hosts may start, when a wave is finished, when
// the campaign must halt. Pure functions of the state.
import type { CampaignState, HostProgress } from './state';
import { isDone, isFailed, isSucceeded } from './state';

/**
 * The hosts that may start now, in plan order: pending hosts of the current wave or of
 * an earlier one (a retried host), while fewer than maxInFlight run in all and fewer
 * than maxPerCluster in their cluster.
 */
export function hostsToStart(state: CampaignState): HostProgress[] {
  const { maxInFlight, maxPerCluster } = state.plan;
  // Outside every maintenance window no host starts; those in flight finish.
  if (state.window && !state.window.open) return [];
  let slots = maxInFlight - state.running;
  if (slots <= 0) return [];
  const perCluster = { ...state.runningByCluster };
  const chosen: HostProgress[] = [];
  for (const host of state.hosts) {
    // Hosts are in wave order, unassigned ones (ramp-up, -1) last.
    if (slots <= 0 || host.wave > state.wave || host.wave < 0) break;
    if (host.status !== 'pending') continue;
    const inCluster = perCluster[host.cluster] ?? 0;
    if (maxPerCluster !== null && inCluster >= maxPerCluster) continue;
    perCluster[host.cluster] = inCluster + 1;
    chosen.push(host);
    slots -= 1;
  }
  return chosen;
}

/**
 * Every host of the wave has ended. With `commit: campaign`, a host waiting at the barrier
 * counts as through its wave: the barrier needs the next waves' hosts to verify too.
 */
export function waveComplete(state: CampaignState, wave: number): boolean {
  const throughAtBarrier = state.plan.commitBarrier?.scope === 'campaign';
  return (state.plan.waves[wave]?.hostIds ?? []).every((hostId) => {
    const i = state.index[hostId];
    const host = i === undefined ? undefined : state.hosts[i];
    return host !== undefined && (isDone(host) || (throughAtBarrier && host.status === 'running' && host.awaitingCommit !== undefined));
  });
}

/** Why the campaign must stop starting hosts, or undefined while it may go on. */
export function haltReason(state: CampaignState): string | undefined {
  const canary = state.wave === 0 && state.plan.waves[0]?.kind === 'canary';
  if (canary) {
    const failedCanary = state.hosts.find((h) => h.wave === 0 && isFailed(h));
    if (failedCanary) return `canary host ${failedCanary.hostId} failed (${failedCanary.reason ?? failedCanary.status}); no other host was touched`;
  }
  if (state.failed > state.plan.failureBudget) return `${state.failed} hosts failed, more than the failure budget of ${state.plan.failureBudget}`;
  return undefined;
}

/**
 * Hosts no wave has taken yet (ramp-up), in plan order. Only a ramp-up leaves hosts
 * unassigned at launch, so without one the answer is known without a scan of the fleet.
 */
export const unassignedHosts = (state: CampaignState): HostProgress[] =>
  state.plan.rampUp ? state.hosts.filter((h) => h.wave < 0 && h.status === 'pending') : [];

/**
 * The next ramp-up wave: `start` first and after a wave with a failure (a host that did
 * not succeed), else `factor` × the last wave (rounded up), at most `max`. Undefined
 * without a ramp-up or when no host is left for it.
 */
export function nextRampWave(state: CampaignState, wave: number): { hosts: string[]; why: string } | undefined {
  const ramp = state.plan.rampUp;
  if (!ramp) return undefined;
  const queue = unassignedHosts(state);
  if (queue.length === 0) return undefined;
  const plural = (n: number) => `${n} host${n === 1 ? '' : 's'}`;
  const last = state.plan.waves[wave - 1];
  let size = ramp.start;
  let why = `ramp-up starts at ${plural(ramp.start)}`;
  if (last && wave > 1) {
    const failed = state.hosts.filter((h) => h.wave === wave - 1 && isDone(h) && !isSucceeded(h)).length;
    const grown = Math.min(ramp.max, Math.ceil(last.hostIds.length * ramp.factor));
    if (failed > 0) why = `back to ${plural(ramp.start)}: wave ${wave - 1} had ${failed} failure${failed === 1 ? '' : 's'}`;
    else {
      size = grown;
      why = `${plural(grown)}: ×${ramp.factor} of wave ${wave - 1} (${plural(last.hostIds.length)}, no failure)${grown === ramp.max ? `, at most ${ramp.max}` : ''}`;
    }
  }
  const hosts = queue.slice(0, size).map((h) => h.hostId);
  if (hosts.length < size) why += `; ${plural(hosts.length)} left`;
  return { hosts, why };
}
