import { isDatabaseUnavailable } from '@bankswitch/event-store';
import { UnavailableError, isAppError } from './errors';
import { unavailable } from './temporal';

/**
 * What a front door shows when a service is away: one sentence saying which and what to
 * do (the CLI exits 5, the API answers 503), never a driver's stack trace.
 */
export function translateInfrastructureError(error: unknown, databaseUrl?: string): unknown {
  if (isAppError(error)) return error;
  // Temporal's errors say ECONNREFUSED too: name Temporal when it is Temporal that did not answer.
  if (isTemporalUnavailable(error)) return unavailable(error);
  if (isDatabaseUnavailable(error)) {
    const where = databaseUrl ? ` at ${databaseAddress(databaseUrl)}` : '';
    return new UnavailableError(`PostgreSQL${where} is not reachable, so nothing was read or changed; check that it is up (and DATABASE_URL), then try again`);
  }
  return unavailable(error);
}

/** A gRPC failure of the Temporal client: UNAVAILABLE (14) or DEADLINE_EXCEEDED (4), possibly wrapped. */
function isTemporalUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 5) return false;
  const e = error as { code?: unknown; message?: unknown; cause?: unknown; name?: unknown };
  if (e.name === 'ServiceError' || ((e.code === 14 || e.code === 4) && typeof e.message === 'string' && /^(14 UNAVAILABLE|4 DEADLINE_EXCEEDED)/.test(e.message))) return true;
  return isTemporalUnavailable(e.cause, depth + 1);
}

/** Every method of the service, with infrastructure errors translated. */
export function withInfrastructureErrors<T extends object>(service: T, databaseUrl?: string): T {
  const wrapped = {} as Record<string, unknown>;
  for (const [name, method] of Object.entries(service)) {
    wrapped[name] =
      typeof method === 'function'
        ? async (...args: unknown[]) => {
            try {
              return await (method as (...a: unknown[]) => Promise<unknown>).apply(service, args);
            } catch (error) {
              throw translateInfrastructureError(error, databaseUrl);
            }
          }
        : method;
  }
  return wrapped as T;
}

function databaseAddress(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}`;
  } catch {
    return 'DATABASE_URL';
  }
}
