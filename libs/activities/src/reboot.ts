import { ApplicationFailure, Context } from '@temporalio/activity';
import { decide } from '@bankswitch/banks';
import { HostUnreachableError } from '@bankswitch/host-driver';
import type { HostStep } from './contracts';
import type { ActivityDependencies } from './ports';

/**
 * Reboots the host into its staged image, once the decider accepted that (the history
 * says the staged build waits in the inactive bank). Never twice: a retry whose first
 * attempt got through finds a new boot id, or a host that is down rebooting.
 */
export async function rebootHost(deps: ActivityDependencies, input: HostStep & { bootId: string; build: string }): Promise<{ bootIdBefore: string }> {
  const snapshot = await deps.history.load(input.hostId);
  const decision = decide({ type: 'RebootIntoStaged', data: { build: input.build } }, snapshot.state);
  if (!decision.ok) {
    throw ApplicationFailure.nonRetryable(`host ${input.hostId}: reboot refused (${decision.refusal.code}): ${decision.refusal.message}`, 'BankCommandRefused');
  }
  const driver = await deps.driverFor(input.hostId);
  const state = await driver.getState().catch((error: unknown) => {
    // A retry that cannot reach the host: the first attempt's reboot is under way.
    if (error instanceof HostUnreachableError && Context.current().info.attempt > 1) return undefined;
    throw error;
  });
  if (!state || state.bootId !== input.bootId) return { bootIdBefore: input.bootId };
  const accepted = await driver.reboot();
  return { bootIdBefore: accepted.previousBootId };
}
