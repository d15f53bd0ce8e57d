import { EsxiSshDriver, type EsxiSshDriverOptions } from './esxi-ssh/esxi-ssh-driver';
import type { HostDriver, HostInventoryEntry } from './host-driver';
import { HttpHostDriver, type HttpHostDriverOptions } from './http-host-driver';

/** The one place that maps an inventory entry's `driver` to an implementation. */
export function createHostDriver(host: HostInventoryEntry, options: HttpHostDriverOptions & EsxiSshDriverOptions = {}): HostDriver {
  switch (host.driver) {
    case 'http':
      return new HttpHostDriver({ id: host.id, name: host.name, address: host.address }, options);
    case 'esxi-ssh':
      return new EsxiSshDriver({ id: host.id, name: host.name, address: host.address }, host.connection, options);
    default: {
      const unknown: never = host;
      throw new Error(`host ${(unknown as HostInventoryEntry).id}: unknown driver ${String((unknown as { driver: unknown }).driver)}`);
    }
  }
}
