// The drift watch's look at hosts: what changed out of band since the history last spoke
// (Shift+R at the console, a fallback on a later reboot, a manual esxcli update, another
// SSH host key) is recorded in the host's history; nothing is done to the host.
import { Context } from '@temporalio/activity';
import { StreamVersionConflictError } from '@bankswitch/event-store';
import { HostAuthenticationError, HostKeyMismatchError, HostUnreachableError } from '@bankswitch/host-driver';
import { activityKey, metadataFor } from './activity-context';
import type { HostObservation } from './contracts';
import { reconcile } from './host-record';
import type { ActivityDependencies } from './ports';

const AT_ONCE = 10;

/** Looks at each host (ten at a time), heartbeating as it goes; one host's failure is its own outcome, not the batch's. */
export async function observeHosts(deps: ActivityDependencies, input: { hostIds: readonly string[]; by: string }): Promise<HostObservation[]> {
  const results: HostObservation[] = [];
  for (let i = 0; i < input.hostIds.length; i += AT_ONCE) {
    const batch = input.hostIds.slice(i, i + AT_ONCE);
    results.push(...(await Promise.all(batch.map((hostId) => observeHost(deps, hostId, input.by)))));
    Context.current().heartbeat(`${results.length}/${input.hostIds.length} hosts observed`);
  }
  return results;
}

/**
 * One host. Its history is read first and appended to at that version only: whatever
 * an upgrade or an action records meanwhile wins, and this look is dropped (busy). A
 * host whose upgrade or action runs is not looked at: its workflow records what it does.
 */
async function observeHost(deps: ActivityDependencies, hostId: string, by: string): Promise<HostObservation> {
  const snapshot = await deps.history.load(hostId);
  if (snapshot.state.standing?.state === 'upgrading') return { hostId, outcome: 'busy', detail: 'an upgrade of it is under way' };
  if (await deps.hostBusy(hostId)) return { hostId, outcome: 'busy', detail: 'an upgrade or an operator action runs on it' };
  const metadata = metadataFor({ operator: by });
  let host;
  try {
    host = await (await deps.driverFor(hostId)).getState({ timeoutMs: 15_000 });
  } catch (error) {
    if (error instanceof HostKeyMismatchError) return recordKeyMismatch(deps, hostId, snapshot.version, snapshot.keys, error, metadata);
    if (error instanceof HostUnreachableError) return { hostId, outcome: 'unreachable', detail: error.message };
    if (error instanceof HostAuthenticationError) return { hostId, outcome: 'login-refused', detail: error.message };
    return { hostId, outcome: 'failed', detail: (error as Error).message };
  }
  try {
    const after = await reconcile({ history: deps.history, hostId, key: activityKey(`observe/${hostId}`), metadata }, host, snapshot);
    if (after.version === snapshot.version) return { hostId, outcome: 'unchanged' };
    if (snapshot.version === 0) return { hostId, outcome: 'first-sight' };
    return { hostId, outcome: 'drifted', differences: after.state.drift ?? [] };
  } catch (error) {
    if (error instanceof StreamVersionConflictError) return { hostId, outcome: 'busy', detail: 'its history changed while it was being read: the next watch looks again' };
    throw error;
  }
}

/** Once per presented key: a host that keeps presenting it is not recorded again at every watch. */
async function recordKeyMismatch(
  deps: ActivityDependencies,
  hostId: string,
  version: number,
  keys: ReadonlySet<string>,
  error: HostKeyMismatchError,
  metadata: ReturnType<typeof metadataFor>,
): Promise<HostObservation> {
  const differences = [{ subject: 'ssh host key', expected: error.pinned, observed: error.presented }];
  const key = `host-key/${hostId}/${error.presented}`;
  if (!keys.has(key)) {
    try {
      await deps.history.append(hostId, [{ type: 'HostKeyMismatch', data: { address: error.address, pinned: error.pinned, presented: error.presented } }], { expectedVersion: version, idempotencyKey: key, metadata });
    } catch (appendError) {
      if (!(appendError instanceof StreamVersionConflictError)) throw appendError;
    }
  }
  return { hostId, outcome: 'key-mismatch', differences, detail: error.message };
}
