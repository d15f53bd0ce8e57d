import type { SpecError } from '../spec/errors';
import type { InventoryHost } from './types';

/** Host ids must be unique: waves and the event store refer to hosts by id. */
export function checkInventory(inventory: readonly InventoryHost[]): SpecError[] {
  const seen = new Set<string>();
  const errors: SpecError[] = [];
  inventory.forEach((host, index) => {
    if (seen.has(host.id)) errors.push({ path: `inventory[${index}].id`, message: `host id "${host.id}" appears twice in the inventory` });
    seen.add(host.id);
  });
  return errors;
}
