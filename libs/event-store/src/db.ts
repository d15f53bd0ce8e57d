import type { PrismaClient } from './prisma-client';

/** What the store's functions need from Prisma: the client or an interactive transaction's client. */
export type Db = Pick<PrismaClient, '$queryRaw' | '$queryRawUnsafe' | '$executeRaw'>;
