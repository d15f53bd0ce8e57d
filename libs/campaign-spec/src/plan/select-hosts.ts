// The spec's host selector applied to the inventory. Every selector given must match.
import type { SpecError } from '../spec/errors';
import type { HostSelector } from '../spec/types';
import { compareHosts } from './host-order';
import { resolveHostRef } from './host-refs';
import type { InventoryHost } from './types';

type Selection = { ok: true; hosts: InventoryHost[] } | { ok: false; errors: SpecError[] };

const labelText = (labels: Readonly<Record<string, string>>) =>
  Object.entries(labels).map(([key, value]) => `${key}=${value}`).join(', ');

function mismatch(host: InventoryHost, selector: HostSelector): string | undefined {
  if (selector.clusters && !selector.clusters.includes(host.cluster)) {
    return `is in cluster "${host.cluster}", which hosts.clusters does not list`;
  }
  const missing = Object.entries(selector.labels ?? {}).filter(([key, value]) => host.labels[key] !== value);
  if (missing.length > 0) return `does not carry ${labelText(Object.fromEntries(missing))}`;
  return undefined;
}

export function selectHosts(selector: HostSelector, inventory: readonly InventoryHost[]): Selection {
  const errors: SpecError[] = [];
  const knownClusters = [...new Set(inventory.map((host) => host.cluster))].sort();
  selector.clusters?.forEach((cluster, index) => {
    if (!knownClusters.includes(cluster)) {
      errors.push({ path: `hosts.clusters[${index}]`, message: `no host in cluster "${cluster}"; known clusters: ${knownClusters.join(', ') || '(none)'}` });
    }
  });

  let candidates: InventoryHost[] = [...inventory];
  if (selector.names) {
    candidates = [];
    selector.names.forEach((ref, index) => {
      const resolved = resolveHostRef(ref, inventory);
      if ('problem' in resolved) return errors.push({ path: `hosts.names[${index}]`, message: resolved.problem });
      const why = mismatch(resolved.host, selector);
      if (why) {
        return errors.push({ path: `hosts.names[${index}]`, message: `${ref} ${why}; remove it from hosts.names or widen the other selectors` });
      }
      if (!candidates.includes(resolved.host)) candidates.push(resolved.host);
      else errors.push({ path: `hosts.names[${index}]`, message: `${ref} is the same host as another entry` });
      return undefined;
    });
  }
  const hosts = candidates.filter((host) => mismatch(host, selector) === undefined).sort(compareHosts);
  if (errors.length > 0) return { ok: false, errors };
  if (hosts.length === 0) {
    const asked = [
      selector.clusters && `clusters ${selector.clusters.join(', ')}`,
      selector.labels && `labels ${labelText(selector.labels)}`,
    ].filter(Boolean);
    return { ok: false, errors: [{ path: 'hosts', message: `no host in the inventory (${inventory.length} hosts) matches ${asked.join(' and ')}` }] };
  }
  return { ok: true, hosts };
}
