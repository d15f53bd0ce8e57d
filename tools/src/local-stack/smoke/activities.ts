import type { PrismaClient } from '@bankswitch/event-store';

export function createSmokeActivities(prisma: PrismaClient) {
  return {
    async recordSmokeHost(hostId: string): Promise<string> {
      const host = await prisma.host.upsert({
        where: { id: hostId },
        create: { id: hostId, name: hostId, address: '127.0.0.1:1', cluster: 'smoke' },
        update: {},
      });
      return host.id;
    },
  };
}

export type SmokeActivities = ReturnType<typeof createSmokeActivities>;
export declare const recordSmokeHost: SmokeActivities['recordSmokeHost'];
