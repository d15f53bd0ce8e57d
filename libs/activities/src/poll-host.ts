import { Context } from '@temporalio/activity';
import { HostFailedError, HostUnreachableError, type HostDriver, type HostState } from '@bankswitch/host-driver';
import { withHeartbeat } from './activity-context';

export type PollResult = { readonly state: HostState } | { readonly state?: undefined; readonly lastProblem: string };

/**
 * Looks grow apart by half each time, from `pollMs` up to this. A reboot takes minutes on
 * real hosts, and with 1,000 hosts rebooting at once looks every 250 ms were 4,000
 * requests a second, most of the engine's CPU; the new boot is still seen within a second.
 */
export const MAX_POLL_MS = 1_000;

/** The pause after a look that waited `lastMs` (pure). */
export function nextPollMs(lastMs: number, pollMs: number): number {
  return Math.min(Math.max(pollMs, MAX_POLL_MS), Math.round(lastMs * 1.5));
}

/**
 * Asks the host for its state, `pollMs` after the first look and growing to MAX_POLL_MS, until `until` holds or `timeoutMs` passed
 * (at least one look), heartbeating so Temporal knows the activity lives and can cancel
 * it, also while a look takes long (esxcli over SSH). A host that does not answer, or
 * answers but fails (a host still booting: sshd up before hostd), is what this waits
 * through; other errors end it.
 */
export async function pollHost(
  driver: HostDriver,
  options: { timeoutMs: number; pollMs: number; until: (state: HostState) => boolean; waitingFor: string },
): Promise<PollResult> {
  const context = Context.current();
  const deadline = Date.now() + options.timeoutMs;
  let lastProblem = 'no answer yet';
  let pauseMs = options.pollMs;
  for (let look = 0; ; look++) {
    // From the second look on: a host that answers at once costs Temporal no heartbeat.
    if (look > 0) context.heartbeat({ waitingFor: options.waitingFor, lastProblem });
    try {
      const state = await withHeartbeat({ waitingFor: options.waitingFor, lastProblem }, () => driver.getState({ timeoutMs: 2_000 }), 2_000);
      if (options.until(state)) return { state };
      lastProblem = 'answers with the boot id it had before the reboot';
    } catch (error) {
      if (error instanceof HostUnreachableError) lastProblem = `unreachable (${error.reason})`;
      else if (error instanceof HostFailedError) lastProblem = `answers, but ${error.message}`;
      else throw error;
    }
    if (Date.now() >= deadline) return { lastProblem };
    await context.sleep(Math.min(pauseMs, Math.max(0, deadline - Date.now()))); // throws when the activity is cancelled
    pauseMs = nextPollMs(pauseMs, options.pollMs);
  }
}
