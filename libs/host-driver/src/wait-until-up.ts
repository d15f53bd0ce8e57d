import { HostFailedError, HostUnreachableError } from './errors';
import type { HostDriver, WaitUntilUpOptions } from './host-driver';
import type { HostState } from './wire';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls getState until the host answers (with a new boot id); HostUnreachableError on timeout. Any driver. */
export async function waitUntilUp(driver: Pick<HostDriver, 'host' | 'getState'>, options: WaitUntilUpOptions, callTimeoutMs: number): Promise<HostState> {
  const deadline = Date.now() + options.timeoutMs;
  const pollMs = options.pollMs ?? 100;
  let last: HostUnreachableError | undefined;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    try {
      const state = await driver.getState({ timeoutMs: Math.min(callTimeoutMs, Math.max(left, 50)) });
      if (state.bootId !== options.afterBootId) return state;
    } catch (error) {
      // A host that answers but fails may still be booting (sshd up before hostd): keep asking.
      if (error instanceof HostUnreachableError) last = error;
      else if (!(error instanceof HostFailedError)) throw error;
    }
    await sleep(Math.min(pollMs, Math.max(deadline - Date.now(), 0)));
  }
  throw new HostUnreachableError(
    driver.host,
    'waitUntilUp',
    'timeout',
    `did not come back within ${options.timeoutMs} ms` + (last ? ` (last attempt: ${last.reason})` : ' (it answered, but with the old boot id)'),
    { cause: last },
  );
}
