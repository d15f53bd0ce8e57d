import { Context } from '@temporalio/activity';
import { HostUnreachableError, type HostDriver, type HostState } from '@bankswitch/host-driver';

export type PollResult = { readonly state: HostState } | { readonly state?: undefined; readonly lastProblem: string };

/**
 * Asks the host for its state every `pollMs` until `until` holds or `timeoutMs` passed
 * (at least one look), heartbeating so Temporal knows the activity lives and can cancel
 * it. A host that does not answer is what this waits through; other errors end it.
 */
export async function pollHost(
  driver: HostDriver,
  options: { timeoutMs: number; pollMs: number; until: (state: HostState) => boolean; waitingFor: string },
): Promise<PollResult> {
  const context = Context.current();
  const deadline = Date.now() + options.timeoutMs;
  let lastProblem = 'no answer yet';
  for (;;) {
    context.heartbeat({ waitingFor: options.waitingFor, lastProblem });
    try {
      const state = await driver.getState({ timeoutMs: 2_000 });
      if (options.until(state)) return { state };
      lastProblem = 'answers with the boot id it had before the reboot';
    } catch (error) {
      if (!(error instanceof HostUnreachableError)) throw error;
      lastProblem = `unreachable (${error.reason})`;
    }
    if (Date.now() >= deadline) return { lastProblem };
    await context.sleep(options.pollMs); // throws when the activity is cancelled
  }
}
