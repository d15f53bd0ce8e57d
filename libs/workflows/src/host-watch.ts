// Which running hosts the campaign looks up (campaign.workflow.ts, the watch for host
// workflows that ended without reporting): pure, so that the workflow stays a thin driver.
import type { CampaignState } from '@bankswitch/campaign';

/** By default the campaign looks for upgrades that ended without reporting every 5 minutes. */
export const DEFAULT_HOST_WATCH_MS = 5 * 60_000;

/**
 * Hosts running in the campaign whose upgrade workflow was confirmed started and that the
 * campaign has not heard of (start, report, approval or barrier signal) for `silentMs`.
 * A host still being started is not in `lastHeard`: it is not looked up.
 */
export function silentHosts(
  state: Pick<CampaignState, 'hosts'>,
  lastHeard: ReadonlyMap<string, number>,
  now: number,
  silentMs: number,
): { hostId: string; attempt: number }[] {
  const silent: { hostId: string; attempt: number }[] = [];
  for (const host of state.hosts) {
    if (host.status !== 'running') continue;
    const heard = lastHeard.get(host.hostId);
    if (heard !== undefined && now - heard >= silentMs) silent.push({ hostId: host.hostId, attempt: host.attempts });
  }
  return silent;
}

/** `items` in chunks of at most `size`, in order. */
export function chunked<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
