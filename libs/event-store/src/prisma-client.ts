import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';

export type { PrismaClient } from './generated/prisma/client';

export interface PrismaClientOptions {
  /** Connections in the pool; keep activity concurrency within it. */
  readonly maxConnections?: number;
}

/**
 * A Prisma client over the pg driver adapter (Prisma's Rust-free client): no native
 * engine, one pool per client. Idle-connection errors (a server restart) are logged by
 * the adapter instead of crashing the process.
 */
export function createPrismaClient(databaseUrl: string, options: PrismaClientOptions = {}): PrismaClient {
  const adapter = new PrismaPg(
    { connectionString: databaseUrl, max: options.maxConnections ?? 10 },
    { onPoolError: (error) => console.error(`PostgreSQL pool error: ${error.message}`) },
  );
  return new PrismaClient({ adapter });
}
