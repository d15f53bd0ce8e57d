import { randomUUID } from 'node:crypto';
import { afterAll } from 'vitest';
import { z } from 'zod';
import { createCatalog, type CatalogEvents } from '../src/catalog/catalog';
import { defineEvent } from '../src/catalog/define-event';
import { createEventStore } from '../src/event-store';
import { createPrismaClient } from '../src/prisma-client';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'expected a lowercase hex SHA-256');
const bank = z.union([z.literal(0), z.literal(1)]);
const image = z.object({ build: z.string().nullable(), updated: z.number().int(), bootstate: z.string() });

/**
 * The store is generic; these tests give it a catalog of their own, shaped like the
 * engine's (events of `host-` and `campaign-` streams, one type at schema version 2).
 */
export const definitions = {
  BankStateObserved: defineEvent('BankStateObserved', 'host', z.object({ bootedBank: bank.nullable(), banks: z.tuple([image, image]) })),
  ImageStaged: defineEvent(
    'ImageStaged',
    'host',
    z.object({ bank, build: z.string(), sha256, updated: z.number().int(), replacedBuild: z.string().nullable(), rollbackImageLost: z.boolean() }),
  ),
  BankBooted: defineEvent('BankBooted', 'host', z.object({ bank, build: z.string(), updated: z.number().int(), firstBoot: z.boolean(), previousBank: bank.nullable() })),
  BankCommitted: defineEvent('BankCommitted', 'host', z.object({ bank, build: z.string(), updated: z.number().int() })),
  CampaignPaused: defineEvent('CampaignPaused', 'campaign', z.object({ campaignId: z.string(), reason: z.string().min(1) })),
  CampaignResumed: defineEvent('CampaignResumed', 'campaign', z.object({ campaignId: z.string() })),
  /** Version 1 had `error` and the log as one text; version 2 has `reason` and lines. */
  HostFailed: defineEvent(
    'HostFailed',
    'campaign',
    z.object({ hostId: z.string(), reason: z.string(), bootLog: z.array(z.string()), attempt: z.number().int().default(1) }),
    {
      schemaVersion: 2,
      upcasters: {
        1: (data) => {
          const { error, bootLog, ...rest } = data as { error: string; bootLog: string };
          return { ...rest, reason: error, bootLog: bootLog.split(/\r?\n/).filter((line) => line !== '') };
        },
      },
    },
  ),
};
export const testCatalog = createCatalog(definitions);
export type TestEvent = CatalogEvents<typeof definitions>;

/** A client on the test database (the global setup migrated it) and a prefix unique to this file. */
export function testStore(maxConnections = 20, storeOptions: Parameters<typeof createEventStore>[2] = {}) {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run the tests through vitest (its global setup starts PostgreSQL)');
  const prisma = createPrismaClient(url, { maxConnections });
  afterAll(() => prisma.$disconnect());
  return { prisma, store: createEventStore(prisma, testCatalog, storeOptions), unique: (name: string) => `${name}${randomUUID().slice(0, 8)}` };
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
} as const satisfies Record<string, TestEvent>;

export const campaignResumed = (campaignId: string): TestEvent => ({ type: 'CampaignResumed', data: { campaignId } });
