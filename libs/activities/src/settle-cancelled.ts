import { ApplicationFailure, Context } from '@temporalio/activity';
import { hostBanksFromBootCfgs } from '@bankswitch/banks';
import { HostUnreachableError, type HostDriver, type HostState } from '@bankswitch/host-driver';
import { activityKey, metadataFor } from './activity-context';
import type { HostStep, TargetImage } from './contracts';
import type { ActivityDependencies } from './ports';
import { recordBankCommand } from './record-bank-command';

type Input = HostStep & { target: TargetImage; timeoutMs: number };

/**
 * The compensation of a cancelled upgrade, whatever step it was in: waits until the
 * host answers, then leaves it on a known-good image with the decision recorded.
 * - the new image booted but was never verified → rolled back (Shift+R) to the previous one;
 * - the new image is staged but never booted → its bank is marked INVALID;
 * - otherwise nothing had changed, or the upgrade had already been committed.
 */
export async function settleCancelledUpgrade(deps: ActivityDependencies, input: Input): Promise<{ detail: string }> {
  const driver = await deps.driverFor(input.hostId);
  const host = await untilReachable(driver, input, deps.pollMs ?? 250);
  const banks = hostBanksFromBootCfgs(host.banks[0].bootCfg, host.banks[1].bootCfg, host.bootedBank);
  const running = banks.banks[host.bootedBank];
  const other = host.bootedBank === 0 ? 1 : 0;
  const metadata = metadataFor(input);

  if (host.runningBuild === input.target.build && running.bootstate !== 'VALID') {
    // Make sure the history knows the boot before deciding on it.
    await recordBankCommand(deps.history, input.hostId, { type: 'RecordBoot', data: { bootedBank: host.bootedBank, build: host.runningBuild, bank0: host.banks[0].bootCfg, bank1: host.banks[1].bootCfg } }, { idempotencyKey: `boot/${input.hostId}/${host.bootId}`, metadata });
    await driver.rollBack();
    await recordBankCommand(deps.history, input.hostId, { type: 'RollBack', data: { reason: 'upgrade cancelled before verification' } }, { idempotencyKey: activityKey('rollback'), metadata });
    const back = await untilNewBoot(driver, host.bootId, input, deps.pollMs ?? 250);
    await recordBankCommand(deps.history, input.hostId, { type: 'RecordBoot', data: { bootedBank: back.bootedBank, build: back.runningBuild, bank0: back.banks[0].bootCfg, bank1: back.banks[1].bootCfg } }, { idempotencyKey: `boot/${input.hostId}/${back.bootId}`, metadata: metadataFor(input) });
    return { detail: `the new image had booted unverified on bank ${host.bootedBank}; rolled back, the host runs ${back.runningBuild} from bank ${back.bootedBank}` };
  }
  if (banks.banks[other].build === input.target.build && banks.banks[other].bootstate === 'UPGRADING') {
    await driver.abandonStage();
    await recordBankCommand(deps.history, input.hostId, { type: 'AbandonStagedImage', data: { reason: 'upgrade cancelled before reboot' } }, { idempotencyKey: activityKey('abandon'), metadata });
    return { detail: `the staged image in bank ${other} was marked INVALID; the host runs ${host.runningBuild} from bank ${host.bootedBank}` };
  }
  if (host.runningBuild === input.target.build) return { detail: `the upgrade had already been committed: the host runs ${host.runningBuild}` };
  return { detail: `nothing to undo: the host runs ${host.runningBuild} from bank ${host.bootedBank}` };
}

async function untilReachable(driver: HostDriver, input: Input, pollMs: number): Promise<HostState> {
  return poll(driver, input, pollMs, () => true);
}

async function untilNewBoot(driver: HostDriver, previousBootId: string, input: Input, pollMs: number): Promise<HostState> {
  return poll(driver, input, pollMs, (state) => state.bootId !== previousBootId);
}

async function poll(driver: HostDriver, input: Input, pollMs: number, done: (state: HostState) => boolean): Promise<HostState> {
  const deadline = Date.now() + input.timeoutMs;
  while (Date.now() < deadline) {
    Context.current().heartbeat('settling a cancelled upgrade');
    try {
      const state = await driver.getState({ timeoutMs: 2_000 });
      if (done(state)) return state;
    } catch (error) {
      if (!(error instanceof HostUnreachableError)) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  throw ApplicationFailure.create({
    type: 'HostDidNotReturn',
    nonRetryable: true,
    message: `host ${input.hostId} did not answer within ${Math.round(input.timeoutMs / 1000)} s while undoing a cancelled upgrade: check its console; its banks were left as they are`,
  });
}
