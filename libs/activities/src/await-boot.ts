import { ApplicationFailure, Context } from '@temporalio/activity';
import { hostBanksFromBootCfgs } from '@bankswitch/banks';
import { HostUnreachableError, type BootLogEntry, type HostDriver, type HostState } from '@bankswitch/host-driver';
import { metadataFor } from './activity-context';
import type { BootObservation, HostStep, TargetImage } from './contracts';
import type { ActivityDependencies } from './ports';
import { recordBankCommand } from './record-bank-command';

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
  const banks = hostBanksFromBootCfgs(host.banks[0].bootCfg, host.banks[1].bootCfg, host.bootedBank);
  const other = host.bootedBank === 0 ? 1 : 0;
  const onTarget = host.runningBuild === input.target.build;
  const fellBack = input.purpose === 'upgrade' && !onTarget && banks.banks[other].build === input.target.build && banks.banks[other].bootstate === 'INVALID';
  // The boot log explains a boot that went wrong; a clean upgrade boot needs no copy of it.
  const cleanBoot = input.purpose === 'upgrade' && onTarget;
  const bootLog = cleanBoot ? [] : linesSince(await driver.bootLog({ limit: 10 }).catch(() => []), input.previousBootId);

  await recordBankCommand(
    deps.history,
    input.hostId,
    { type: 'RecordBoot', data: { bootedBank: host.bootedBank, build: host.runningBuild, bank0: host.banks[0].bootCfg, bank1: host.banks[1].bootCfg } },
    { idempotencyKey: `boot/${input.hostId}/${host.bootId}`, metadata: metadataFor(input) },
  );

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
  const context = Context.current();
  const deadline = Date.now() + input.timeoutMs;
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    context.heartbeat({ waitingFor: 'boot', lastProblem });
    try {
      const state = await driver.getState({ timeoutMs: 2_000 });
      if (state.bootId !== input.previousBootId) return state;
      lastProblem = 'answers with the boot id it had before the reboot';
    } catch (error) {
      if (!(error instanceof HostUnreachableError)) throw error;
      lastProblem = `unreachable (${error.reason})`;
    }
    await context.sleep(pollMs); // throws when the activity is cancelled
  }
  throw ApplicationFailure.create({
    type: 'HostDidNotReturn',
    nonRetryable: true,
    message:
      `host ${input.hostId} did not come back within ${Math.round(input.timeoutMs / 1000)} s after the ${input.purpose === 'rollback' ? 'rollback ' : ''}reboot ` +
      `(last: ${lastProblem}). It may hang at boot: check its console, or power-cycle it; the loader then falls back to the previous image by itself.`,
  });
}

/** The log lines of the boots after the one that had `previousBootId`. */
function linesSince(boots: readonly BootLogEntry[], previousBootId: string): string[] {
  const start = boots.findIndex((b) => b.bootId === previousBootId);
  const recent = start >= 0 ? boots.slice(start + 1) : boots.slice(-3);
  return recent.flatMap((b) => [`[${b.at}] boot of bank ${b.bank ?? '-'} (${b.build ?? 'no build'}): ${b.outcome}`, ...b.lines]);
}
