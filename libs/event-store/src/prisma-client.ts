import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';
import { PreparingPool } from './prepared-statements';

export type { PrismaClient } from './generated/prisma/client';

export interface PrismaClientOptions {
  /** Connections in the pool; keep activity concurrency within it. */
  readonly maxConnections?: number;
}

/**
 * A Prisma client over the pg driver adapter (Prisma's Rust-free client): no native
 * engine, one pool per client, the store's hot statements prepared (prepared-statements.ts).
 * Idle-connection errors (a server restart) are logged by the adapter instead of crashing
 * the process.
 */
export function createPrismaClient(databaseUrl: string, options: PrismaClientOptions = {}): PrismaClient {
  const pool = new PreparingPool({ connectionString: databaseUrl, max: options.maxConnections ?? 10 });
  const adapter = new PrismaPg(pool, {
    onPoolError: (error) => console.error(`PostgreSQL pool error: ${error.message}`),
    // The adapter owns the pool it is given: $disconnect() ends it.
    disposeExternalPool: true,
  });
  return new PrismaClient({ adapter });
}
