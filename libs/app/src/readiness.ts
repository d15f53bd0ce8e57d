// Whether a front door can do its work now: PostgreSQL answers a query and Temporal
// answers a call, each within a few seconds (what /readyz reports; never throws), and
// the read model's counts (what /metrics shows). The server's own state, not an operation
// of the application: on OpenApp, not on BankswitchApp (which the API client implements too).
import type { Client } from '@temporalio/client';
import type { PrismaClient } from '@bankswitch/event-store';
import { fleetCounts, type FleetCounts } from '@bankswitch/records';
import { clip } from './problems';
import { translateInfrastructureError } from './unavailable';

export interface ReadinessCheck {
  readonly name: 'postgresql' | 'temporal';
  readonly ok: boolean;
  /** Why not, in one sentence (addresses, never credentials). */
  readonly detail?: string;
}

export interface Readiness {
  readonly ready: boolean;
  readonly checks: readonly ReadinessCheck[];
}

const CHECK_TIMEOUT_MS = 3_000;

export interface AppProbes {
  /** Whether PostgreSQL and Temporal answer now; never throws. */
  readiness(): Promise<Readiness>;
  /** Hosts by end state and in flight, campaigns by status, from the read model. */
  fleetCounts(): Promise<FleetCounts>;
}

export function appProbes(deps: { prisma: PrismaClient; temporal: Client; databaseUrl?: string }): AppProbes {
  return { readiness: () => checkReadiness(deps), fleetCounts: () => fleetCounts(deps.prisma) };
}

export async function checkReadiness(deps: { prisma: PrismaClient; temporal: Client; databaseUrl?: string }): Promise<Readiness> {
  const checks = await Promise.all([
    check('postgresql', () => withTimeout(deps.prisma.$queryRaw`SELECT 1`, 'PostgreSQL'), deps.databaseUrl),
    check('temporal', () => deps.temporal.connection.withDeadline(Date.now() + CHECK_TIMEOUT_MS, () => deps.temporal.workflowService.getSystemInfo({}))),
  ]);
  return { ready: checks.every((c) => c.ok), checks };
}

async function check(name: ReadinessCheck['name'], probe: () => Promise<unknown>, databaseUrl?: string): Promise<ReadinessCheck> {
  try {
    await probe();
    return { name, ok: true };
  } catch (error) {
    const translated = translateInfrastructureError(error, databaseUrl);
    return { name, ok: false, detail: clip(translated instanceof Error ? translated.message : String(translated), 300) };
  }
}

function withTimeout<T>(work: Promise<T>, what: string, ms = CHECK_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
