// The fleet commit barrier in the plan: which hosts sit behind each barrier (they commit
// together, or are rolled back together), and whether the limits let them all be in
// flight at once, as a barrier needs: hosts waiting at it hold their slot.
import type { SpecError } from '../spec/errors';
import type { CampaignSpec } from '../spec/types';
import type { InventoryHost, PlannedWave } from './types';

/** The hosts behind one barrier: `wave-<n>` (commit: wave) or `campaign`. */
export interface PlannedBarrier {
  readonly barrier: string;
  readonly hostIds: readonly string[];
}

/** Barriers of the planned waves (none with `commit: host`). With a ramp-up, the waves a campaign with no failure runs. */
export function plannedBarriers(commit: CampaignSpec['commit'], waves: readonly PlannedWave[]): PlannedBarrier[] {
  if (commit === 'campaign') return [{ barrier: 'campaign', hostIds: waves.flatMap((w) => w.hostIds) }];
  if (commit === 'wave') return waves.map((w) => ({ barrier: `wave-${w.index}`, hostIds: w.hostIds }));
  return [];
}

const hostsWord = (n: number) => `${n} host${n === 1 ? '' : 's'}`;

/**
 * A barrier holds every host behind it in flight until all of them verified, so
 * `maxInFlight` (and `maxPerCluster`) must let them all run at once; otherwise the hosts
 * waiting at it would keep the others from ever starting. The largest barrier decides.
 */
export function barrierLimitProblems(spec: CampaignSpec, waves: readonly PlannedWave[], inventory: readonly InventoryHost[]): SpecError[] {
  const barriers = plannedBarriers(spec.commit, waves);
  if (barriers.length === 0) return [];
  const { maxInFlight, maxPerCluster } = spec.strategy;
  const what = (b: PlannedBarrier) => (b.barrier === 'campaign' ? 'the campaign' : `wave ${b.barrier.slice('wave-'.length)}`);
  const holds = spec.commit === 'campaign' ? 'commit: campaign holds every host in flight until all of them verified' : "commit: wave holds a wave's hosts in flight until all of them verified";
  const other = spec.commit === 'campaign' ? 'commit: wave or host' : 'commit: host';
  const errors: SpecError[] = [];
  const largest = barriers.reduce((a, b) => (b.hostIds.length > a.hostIds.length ? b : a));
  if (largest.hostIds.length > maxInFlight) {
    errors.push({
      path: 'strategy.maxInFlight',
      message: `${holds}, and ${what(largest)} has ${hostsWord(largest.hostIds.length)}, more than maxInFlight (${maxInFlight}): raise it to at least ${largest.hostIds.length}, ${spec.commit === 'wave' ? 'make the waves smaller, ' : ''}or use ${other}`,
    });
  }
  if (maxPerCluster !== null) {
    const clusterOf = new Map(inventory.map((h) => [h.id, h.cluster]));
    let worst: { barrier: PlannedBarrier; cluster: string; count: number } | undefined;
    for (const barrier of barriers) {
      const counts = new Map<string, number>();
      for (const id of barrier.hostIds) counts.set(clusterOf.get(id) ?? '', (counts.get(clusterOf.get(id) ?? '') ?? 0) + 1);
      for (const [cluster, count] of counts) if (!worst || count > worst.count) worst = { barrier, cluster, count };
    }
    if (worst && worst.count > maxPerCluster) {
      errors.push({
        path: 'strategy.maxPerCluster',
        message: `${holds}, and ${what(worst.barrier)} has ${hostsWord(worst.count)} in cluster ${worst.cluster}, more than maxPerCluster (${maxPerCluster}): raise it to at least ${worst.count}, or use ${other}`,
      });
    }
  }
  return errors;
}
