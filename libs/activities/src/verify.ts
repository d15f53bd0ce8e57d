import { withHeartbeat } from './activity-context';
import type { HostStep, TargetImage, VerifyResult } from './contracts';
import { observedBanks } from './host-record';
import type { ActivityDependencies } from './ports';

/** Expected bank and build, bank state, then the campaign's health checks. Reads only. */
export function verifyHost(deps: ActivityDependencies, input: HostStep & { target: TargetImage; checks: readonly string[] }): Promise<VerifyResult> {
  return withHeartbeat('verifying', () => verify(deps, input));
}

async function verify(deps: ActivityDependencies, input: HostStep & { target: TargetImage; checks: readonly string[] }): Promise<VerifyResult> {
  const driver = await deps.driverFor(input.hostId);
  const host = await driver.getState();
  const banks = observedBanks(host);
  const fail = async (reason: string): Promise<VerifyResult> => ({
    ok: false,
    reason,
    bootLog: (await driver.bootLog({ limit: 1 }).catch(() => [])).flatMap((b) => b.lines),
  });
  if (host.runningBuild !== input.target.build) return fail(`expected build ${input.target.build} running, observed ${host.runningBuild} on bank ${host.bootedBank}`);
  const state = banks.banks[host.bootedBank].bootstate;
  if (state !== 'DIRTY' && state !== 'VALID') return fail(`expected bank ${host.bootedBank} DIRTY (booted, not yet committed), observed ${state}`);
  const health = await driver.health();
  const failed = health.checks.filter((c) => !c.ok);
  const missing = input.checks.filter((name) => !health.checks.some((c) => c.name === name));
  if (missing.length > 0) return fail(`health checks ${missing.join(', ')} are not known to the host (it knows ${health.checks.map((c) => c.name).join(', ') || 'none'})`);
  if (!health.ok || failed.length > 0) return fail(`health check ${failed.map((c) => `${c.name}: ${c.detail}`).join('; ') || 'failed'}`);
  return { ok: true };
}
