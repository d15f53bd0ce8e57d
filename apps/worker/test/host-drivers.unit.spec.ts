// The inventory's drivers: one row read serves a host's steps for a while; a changed row
// (an inventory imported again) takes effect once that while is over, or at a retry.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Context } from '@temporalio/activity';
import type { PrismaClient } from '@bankswitch/event-store';
import { INVENTORY_ROW_TTL_MS, inventoryDrivers } from '../src/host-drivers';

function inventory() {
  const rows = new Map([['esx01', { id: 'esx01', name: 'esx01', address: 'http://127.0.0.1:9', driver: 'http', connection: null as unknown }]]);
  let reads = 0;
  const prisma = {
    host: {
      findUnique: async ({ where }: { where: { id: string } }) => {
        reads++;
        return rows.get(where.id) ?? null;
      },
    },
  } as unknown as PrismaClient;
  return { prisma, rows, reads: () => reads };
}

afterEach(() => vi.restoreAllMocks());

describe('inventoryDrivers', () => {
  it("reads a host's row once for the steps that follow within the TTL, and again after it", async () => {
    const { prisma, reads } = inventory();
    let now = 1_000;
    const drivers = inventoryDrivers(prisma, undefined, { now: () => now });
    const first = await drivers.driverFor('esx01');
    now += INVENTORY_ROW_TTL_MS - 1;
    expect(await drivers.driverFor('esx01')).toBe(first);
    expect(reads()).toBe(1);
    now += 1;
    // Read again; the row is the same, so is the driver (and its kept connections).
    expect(await drivers.driverFor('esx01')).toBe(first);
    expect(reads()).toBe(2);
    drivers.closeAll();
  });

  it('makes a new driver once the row changed, at the first retry of an activity even within the TTL', async () => {
    const { prisma, rows, reads } = inventory();
    const drivers = inventoryDrivers(prisma, undefined, { now: () => 0 });
    const first = await drivers.driverFor('esx01');
    rows.set('esx01', { ...rows.get('esx01')!, address: 'http://127.0.0.1:10' });
    expect(await drivers.driverFor('esx01')).toBe(first);
    vi.spyOn(Context, 'current').mockReturnValue({ info: { attempt: 2 } } as unknown as Context);
    const second = await drivers.driverFor('esx01');
    expect(second).not.toBe(first);
    expect(second.host.address).toBe('http://127.0.0.1:10');
    expect(reads()).toBe(2);
    drivers.closeAll();
  });

  it('refuses a host that is not in the inventory, for good', async () => {
    const { prisma } = inventory();
    await expect(inventoryDrivers(prisma).driverFor('esx99')).rejects.toMatchObject({ type: 'UnknownHost', nonRetryable: true });
  });
});
