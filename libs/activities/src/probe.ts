import { HostUnreachableError } from '@bankswitch/host-driver';
import type { ActivityDependencies } from './ports';

/** One look: does the host answer now? (The watch over a host that needs attention.) */
export async function probeHost(deps: ActivityDependencies, input: { hostId: string }): Promise<{ reachable: boolean }> {
  const driver = await deps.driverFor(input.hostId);
  try {
    await driver.getState({ timeoutMs: 3_000 });
    return { reachable: true };
  } catch (error) {
    if (error instanceof HostUnreachableError) return { reachable: false };
    throw error;
  }
}
