// Resolving the host names or ids an operator wrote to inventory hosts.
import type { InventoryHost } from './types';

export type HostRef = { readonly host: InventoryHost } | { readonly problem: string };

/** An id wins over a name; a name shared by several hosts is ambiguous. */
export function resolveHostRef(ref: string, inventory: readonly InventoryHost[]): HostRef {
  const byId = inventory.find((host) => host.id === ref);
  if (byId) return { host: byId };
  const byName = inventory.filter((host) => host.name === ref);
  const [only] = byName;
  if (only && byName.length === 1) return { host: only };
  if (byName.length > 1) {
    const ids = byName.map((host) => `${host.id} (${host.cluster})`).join(', ');
    return { problem: `"${ref}" names ${byName.length} hosts: ${ids}; write the id instead` };
  }
  return {
    problem: `no host named "${ref}" (nor with that id) in the inventory; check the spelling, register the host first, or remove it from the list`,
  };
}
