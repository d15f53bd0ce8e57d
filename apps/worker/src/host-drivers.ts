import { ApplicationFailure } from '@temporalio/activity';
import type { PrismaClient } from '@bankswitch/event-store';
import { createHostDriver, type HostDriver } from '@bankswitch/host-driver';

/** Drivers for the hosts of the inventory (the hosts table), one per host, made on first use. */
export function inventoryDrivers(prisma: PrismaClient): (hostId: string) => Promise<HostDriver> {
  const drivers = new Map<string, HostDriver>();
  return async (hostId) => {
    const known = drivers.get(hostId);
    if (known) return known;
    const host = await prisma.host.findUnique({ where: { id: hostId } });
    if (!host) {
      throw ApplicationFailure.create({
        type: 'UnknownHost',
        nonRetryable: true,
        message: `host ${hostId} is not in the inventory: import it with \`bankswitch hosts import <inventory.json>\` and retry`,
      });
    }
    if (host.driver !== 'http') {
      throw ApplicationFailure.create({ type: 'UnknownHost', nonRetryable: true, message: `host ${hostId} uses driver "${host.driver}", which this worker does not have` });
    }
    const driver = createHostDriver({ id: host.id, name: host.name, address: host.address, driver: 'http' });
    drivers.set(hostId, driver);
    return driver;
  };
}
