// The campaign's state in a compact form for continue-as-new. The plain state names every
// host four times (its progress, the index, its wave in the plan, its cluster in the plan),
// and at 10,000 hosts, three quarters of them finished, the run's input passed Temporal's
// 2 MiB payload limit: the server terminated the campaign. Here each host id is written
// once and clusters once each; the index is rebuilt. Pure, so the next run decodes it
// deterministically.
import type { CampaignPlan, CampaignState, HostProgress } from '@bankswitch/campaign';

export interface CompactCampaignState {
  readonly compact: 1;
  /** The state without its hosts, index, plan waves and plan clusters. */
  readonly rest: Omit<CampaignState, 'hosts' | 'index' | 'plan'> & { readonly plan: Omit<CampaignPlan, 'waves' | 'clusters'> };
  /** Every host's id, in the state's order. */
  readonly ids: readonly string[];
  readonly clusterNames: readonly string[];
  /** Per host: its cluster's position in clusterNames (its progress's, and the plan's: they are the same). */
  readonly clusters: readonly number[];
  /** The plan's waves, hosts as positions in ids. */
  readonly waves: readonly { readonly kind: 'canary' | 'wave'; readonly hosts: readonly number[] }[];
  /** Per host: its progress without its id and cluster. */
  readonly hosts: readonly Omit<HostProgress, 'hostId' | 'cluster'>[];
}

/** The compact form, or undefined when the state is not of the shape it assumes (then carry it as it is). */
export function compactState(state: CampaignState): CompactCampaignState | undefined {
  const { hosts, index: _index, plan, ...restOfState } = state;
  const { waves, clusters: planClusters, ...restOfPlan } = plan;
  const position = new Map(hosts.map((h, i) => [h.hostId, i]));
  if (position.size !== hosts.length || Object.keys(planClusters).length !== hosts.length) return undefined;
  const clusterNames: string[] = [];
  const clusterPosition = new Map<string, number>();
  const clusters: number[] = [];
  for (const host of hosts) {
    if (planClusters[host.hostId] !== host.cluster) return undefined;
    let at = clusterPosition.get(host.cluster);
    if (at === undefined) {
      at = clusterNames.push(host.cluster) - 1;
      clusterPosition.set(host.cluster, at);
    }
    clusters.push(at);
  }
  const compactWaves: { kind: 'canary' | 'wave'; hosts: number[] }[] = [];
  for (const wave of waves) {
    const at = wave.hostIds.map((id) => position.get(id));
    if (at.some((p) => p === undefined)) return undefined;
    compactWaves.push({ kind: wave.kind, hosts: at as number[] });
  }
  return {
    compact: 1,
    rest: { ...restOfState, plan: restOfPlan },
    ids: hosts.map((h) => h.hostId),
    clusterNames,
    clusters,
    waves: compactWaves,
    hosts: hosts.map(({ hostId: _id, cluster: _cluster, ...progress }) => progress),
  };
}

/** The state back from its compact form. */
export function expandState(compact: CompactCampaignState): CampaignState {
  const cluster = (i: number) => compact.clusterNames[compact.clusters[i]!]!;
  const hosts: HostProgress[] = compact.hosts.map((progress, i) => ({ hostId: compact.ids[i]!, cluster: cluster(i), ...progress }));
  return {
    ...compact.rest,
    plan: {
      ...compact.rest.plan,
      waves: compact.waves.map((w) => ({ kind: w.kind, hostIds: w.hosts.map((i) => compact.ids[i]!) })),
      clusters: Object.fromEntries(compact.ids.map((id, i) => [id, cluster(i)])),
    },
    hosts,
    index: Object.fromEntries(compact.ids.map((id, i) => [id, i])),
  };
}
