import { randomUUID } from 'node:crypto';
import { afterAll } from 'vitest';
import { createPrismaClient } from '@bankswitch/event-store';
import type { BankswitchEvent } from '../src/catalog';
import { openRecords } from '../src/records';

/** Records on the test database (the global setup migrated it) and a prefix unique to this file. */
export function testRecords() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run the tests through vitest (its global setup starts PostgreSQL)');
  const prisma = createPrismaClient(url, { maxConnections: 10 });
  afterAll(() => prisma.$disconnect());
  const records = openRecords(prisma);
  return { prisma, records, store: records.store, unique: (name: string) => `${name}${randomUUID().slice(0, 8)}` };
}

const sha = (c: string) => c.repeat(64);

/** A host observed on 8.0.2 (bank 0, VALID) with 8.0.1 in bank 1, then upgraded to 8.0.3 in bank 1. */
export const upgradeEvents = {
  observed: {
    type: 'BankStateObserved',
    data: {
      bootedBank: 0,
      banks: [
        { build: '8.0.2', updated: 2, bootstate: 'VALID' },
        { build: '8.0.1', updated: 1, bootstate: 'VALID' },
      ],
    },
  },
  staged: {
    type: 'ImageStaged',
    data: { bank: 1, build: '8.0.3', sha256: sha('a'), updated: 3, replacedBuild: '8.0.1', rollbackImageLost: false },
  },
  booted: { type: 'BankBooted', data: { bank: 1, build: '8.0.3', updated: 3, firstBoot: true, previousBank: 0 } },
  committed: { type: 'BankCommitted', data: { bank: 1, build: '8.0.3', updated: 3 } },
} as const satisfies Record<string, BankswitchEvent>;
