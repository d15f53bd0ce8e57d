import type { InventoryHost } from './types';

// Code-unit comparison, not localeCompare: the order must not depend on the machine's locale.
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** By cluster, then name, then id. */
export function compareHosts(a: InventoryHost, b: InventoryHost): number {
  return compare(a.cluster, b.cluster) || compare(a.name, b.name) || compare(a.id, b.id);
}

/**
 * One host from each cluster in turn (clusters in order, hosts by name within each), so
 * that consecutive slices — the waves — spread across clusters instead of emptying one
 * cluster first (which maxPerCluster would then serialise).
 */
export function interleaveByCluster(hosts: readonly InventoryHost[]): InventoryHost[] {
  const clusters = new Map<string, InventoryHost[]>();
  for (const host of [...hosts].sort(compareHosts)) {
    const list = clusters.get(host.cluster) ?? [];
    list.push(host);
    clusters.set(host.cluster, list);
  }
  const queues = [...clusters.values()];
  const order: InventoryHost[] = [];
  for (let round = 0; order.length < hosts.length; round++) {
    for (const queue of queues) {
      const host = queue[round];
      if (host) order.push(host);
    }
  }
  return order;
}
