import { ApplicationFailure } from '@temporalio/activity';
import type { BootLogEntry, HostDriver, HostState } from '@bankswitch/host-driver';
import { metadataFor } from './activity-context';
import type { BootObservation, HostStep, TargetImage } from './contracts';
import { observedBanks, recordBoot } from './host-record';
import { pollHost } from './poll-host';
import type { ActivityDependencies } from './ports';

type Input = HostStep & { previousBootId: string; target: TargetImage; timeoutMs: number; purpose: 'upgrade' | 'rollback' };

/**
 * Waits for the host to answer with a new boot id, heartbeating so that Temporal sees
 * it alive (and can cancel it), then records which bank and build booted. The boot is
 * recorded under a key made of the boot id, so however often this runs, one boot is
 * one event.
 */
export async function awaitHostBoot(deps: ActivityDependencies, input: Input): Promise<BootObservation> {
  const driver = await deps.driverFor(input.hostId);
  const host = await waitForNewBoot(driver, input, deps.pollMs ?? 250);
  const banks = observedBanks(host);
  const other = host.bootedBank === 0 ? 1 : 0;
  const onTarget = host.runningBuild === input.target.build;
  const fellBack = input.purpose === 'upgrade' && !onTarget && banks.banks[other].build === input.target.build && banks.banks[other].bootstate === 'INVALID';
  // The boot log explains a boot that went wrong; a clean upgrade boot needs no copy of it.
  const cleanBoot = input.purpose === 'upgrade' && onTarget;
  const bootLog = cleanBoot ? [] : linesSince(await driver.bootLog({ limit: 10 }).catch(() => []), input.previousBootId);

  await recordBoot({ history: deps.history, hostId: input.hostId, metadata: metadataFor(input) }, host);

  const where = `came back on bank ${host.bootedBank}, build ${host.runningBuild}`;
  let summary: string;
  if (input.purpose === 'rollback') {
    summary = onTarget ? `${where}: still the new image, the rollback did not take` : `${where}: the previous image runs again`;
  } else if (onTarget) {
    summary = `${where}: the new image booted (bank ${host.bootedBank} ${banks.banks[host.bootedBank].bootstate})`;
  } else if (fellBack) {
    summary = `${where}: the loader fell back, the new bank ${other} is INVALID (expected build ${input.target.build} on bank ${other})`;
  } else {
    summary = `${where}: expected build ${input.target.build}; bank ${other} holds ${banks.banks[other].build ?? 'nothing'} (${banks.banks[other].bootstate})`;
  }
  return { bootId: host.bootId, bootedBank: host.bootedBank, build: host.runningBuild, onTarget, fellBack, summary, bootLog };
}

async function waitForNewBoot(driver: HostDriver, input: Input, pollMs: number): Promise<HostState> {
  const polled = await pollHost(driver, { timeoutMs: input.timeoutMs, pollMs, until: (state) => state.bootId !== input.previousBootId, waitingFor: 'boot' });
  if (polled.state) return polled.state;
  throw ApplicationFailure.nonRetryable(
    `host ${input.hostId} did not come back within ${Math.round(input.timeoutMs / 1000)} s after the ${input.purpose === 'rollback' ? 'rollback ' : ''}reboot ` +
      `(last: ${polled.lastProblem}). It may hang at boot: check its console, or power-cycle it; the loader then falls back to the previous image by itself.`,
    'HostDidNotReturn',
  );
}

/** The log lines of the boots after the one that had `previousBootId`. */
export function linesSince(boots: readonly BootLogEntry[], previousBootId: string): string[] {
  const start = boots.findIndex((b) => b.bootId === previousBootId);
  const recent = start >= 0 ? boots.slice(start + 1) : boots.slice(-3);
  return recent.flatMap((b) => [`[${b.at}] boot of bank ${b.bank ?? '-'} (${b.build ?? 'no build'}): ${b.outcome}`, ...b.lines]);
}
