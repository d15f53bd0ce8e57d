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

/** SQLSTATEs of a server that is down, starting, stopping or full (classes 08 and 57P, 53300). */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[1-4]|53300)$/;
/** Node's socket errors and Prisma's "cannot reach / connection lost / pool timeout" codes. */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'P1001', 'P1002', 'P1017', 'P2024']);
/** The driver adapter's error kinds for the same. */
const UNAVAILABLE_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections', 'DatabaseUnavailable']);
const UNAVAILABLE_TEXT = /Connection terminated|connection (is )?closed|Can't reach database|ECONNREFUSED|the database system is (starting up|shutting down|in recovery mode)|terminating connection due to administrator command|timeout exceeded when trying to connect/i;

/**
 * Whether an error means "PostgreSQL is not there right now" (down, restarting, out of
 * connections) rather than "this query is wrong": callers wait and retry the first kind,
 * and report it as unavailable rather than as a failure.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 8) return false;
  const e = error as { code?: unknown; kind?: unknown; message?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown }; errors?: unknown };
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (code && (UNAVAILABLE_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return true;
  if (typeof e.kind === 'string' && UNAVAILABLE_KINDS.has(e.kind)) return true;
  const sqlState = databaseCode(error);
  if (sqlState && UNAVAILABLE_SQLSTATE.test(sqlState)) return true;
  if (typeof e.message === 'string' && UNAVAILABLE_TEXT.test(e.message)) return true;
  if (Array.isArray(e.errors) && e.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true;
  return isDatabaseUnavailable(e.meta?.driverAdapterError, depth + 1) || isDatabaseUnavailable(e.cause, depth + 1);
}
