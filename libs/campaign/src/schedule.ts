// The campaign's scheduling rules: which hosts may start, when a wave is finished, when
// the campaign must halt. Pure functions of the state.
import type { CampaignState, HostProgress } from './state';
import { isDone, isFailed } from './state';

/**
 * The hosts that may start now, in plan order: pending hosts of the current wave or of
 * an earlier one (a retried host), while fewer than maxInFlight run in all and fewer
 * than maxPerCluster in their cluster.
 */
export function hostsToStart(state: CampaignState): HostProgress[] {
  const { maxInFlight, maxPerCluster } = state.plan;
  let slots = maxInFlight - state.running;
  if (slots <= 0) return [];
  const perCluster = { ...state.runningByCluster };
  const chosen: HostProgress[] = [];
  for (const host of state.hosts) {
    if (slots <= 0 || host.wave > state.wave) break;
    if (host.status !== 'pending') continue;
    const inCluster = perCluster[host.cluster] ?? 0;
    if (maxPerCluster !== null && inCluster >= maxPerCluster) continue;
    perCluster[host.cluster] = inCluster + 1;
    chosen.push(host);
    slots -= 1;
  }
  return chosen;
}

/** Every host of the wave has ended. */
export function waveComplete(state: CampaignState, wave: number): boolean {
  return (state.plan.waves[wave]?.hostIds ?? []).every((hostId) => {
    const i = state.index[hostId];
    const host = i === undefined ? undefined : state.hosts[i];
    return host !== undefined && isDone(host);
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
