import type { HostDriver, HostInventoryEntry } from './host-driver';
import { HttpHostDriver, type HttpHostDriverOptions } from './http-host-driver';

/** The one place that maps an inventory entry's `driver` to an implementation. */
export function createHostDriver(host: HostInventoryEntry, options: HttpHostDriverOptions = {}): HostDriver {
  switch (host.driver) {
    case 'http':
      return new HttpHostDriver({ id: host.id, name: host.name, address: host.address }, options);
    default: {
      const unknown: never = host.driver;
      throw new Error(`host ${(host as HostInventoryEntry).id}: unknown driver ${String(unknown)}`);
    }
  }
}
