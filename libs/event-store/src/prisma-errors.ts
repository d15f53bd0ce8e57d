/**
 * Recognises PostgreSQL's unique_violation (23505) however the Prisma client and the pg
 * driver adapter wrap it (P2002, or P2010 "raw query failed" carrying the database code).
 */
export function isUniqueViolation(error: unknown): boolean {
  return databaseCode(error) === '23505';
}

export function databaseCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { code?: unknown; meta?: { code?: unknown; driverAdapterError?: { cause?: { code?: unknown; originalCode?: unknown; kind?: unknown } } }; cause?: unknown };
  if (e.code === 'P2002') return '23505';
  const cause = e.meta?.driverAdapterError?.cause;
  if (cause?.kind === 'UniqueConstraintViolation') return '23505';
  for (const candidate of [cause?.originalCode, cause?.code, e.meta?.code]) {
    if (typeof candidate === 'string' && /^[0-9A-Z]{5}$/.test(candidate)) return candidate;
  }
  return e.cause ? databaseCode(e.cause) : undefined;
}
