import { ApplicationFailure } from '@temporalio/activity';
import type { PrismaClient } from '@bankswitch/event-store';
import { createHostDriver, inventoryEntryOf, type HostDriver } from '@bankswitch/host-driver';

export interface InventoryDrivers {
  /** The driver of a host of the inventory (the hosts table). */
  driverFor(hostId: string): Promise<HostDriver>;
  /** Closes every connection the drivers keep (the worker is stopping). */
  closeAll(): void;
}

/**
 * Drivers for the hosts of the inventory, one per host, kept between activities: an SSH
 * driver keeps its connection open between calls. The host's row is read every time,
 * so an inventory imported again (a new address, a re-pinned host key) takes effect at
 * the next activity: the old driver is closed and a new one made. `wrap` is given each
 * new driver with its name (the worker's metrics time its calls).
 */
export function inventoryDrivers(prisma: PrismaClient, wrap: (driver: HostDriver, driverName: string) => HostDriver = (driver) => driver): InventoryDrivers {
  const drivers = new Map<string, { key: string; driver: HostDriver }>();
  return {
    async driverFor(hostId) {
      const host = await prisma.host.findUnique({ where: { id: hostId }, select: { id: true, name: true, address: true, driver: true, connection: true } });
      if (!host) {
        throw ApplicationFailure.nonRetryable(`host ${hostId} is not in the inventory: import it with \`bankswitch hosts import <inventory.json>\` and retry`, 'UnknownHost');
      }
      const key = JSON.stringify([host.name, host.address, host.driver, host.connection]);
      const known = drivers.get(hostId);
      if (known?.key === key) return known.driver;
      known?.driver.close?.();
      let driver: HostDriver;
      try {
        driver = wrap(createHostDriver(inventoryEntryOf(host)), host.driver);
      } catch (error) {
        throw ApplicationFailure.nonRetryable((error as Error).message, 'UnknownHost');
      }
      drivers.set(hostId, { key, driver });
      return driver;
    },
    closeAll() {
      for (const { driver } of drivers.values()) driver.close?.();
      drivers.clear();
    },
  };
}
