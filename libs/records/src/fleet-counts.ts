// How the fleet and its campaigns stand, counted from the read model for dashboards and
// metrics: hosts by where their last upgrade left them (host_banks), campaigns by status
// (their events, folded with the campaign decider's own `evolve`).
import { HOST_END_STATES, type HostEndState } from '@bankswitch/banks';
import { evolveAll, initialState, type CampaignEvent, type CampaignStatus } from '@bankswitch/campaign';
import type { Db } from '@bankswitch/event-store';
import { campaignStream } from './catalog';

export type LaunchedCampaignStatus = Exclude<CampaignStatus, 'not-launched'>;
export const CAMPAIGN_STATUSES: readonly LaunchedCampaignStatus[] = ['running', 'paused', 'awaiting-approval', 'halted', 'cancelled', 'completed'];

export interface FleetCounts {
  /** Hosts in the inventory. */
  readonly inventory: number;
  /** Hosts by the end state their last upgrade or operator action left them in (every state, 0 included). */
  readonly hostsByEndState: Readonly<Record<HostEndState, number>>;
  /** Hosts whose upgrade runs now, as recorded (UpgradeStarted without its end yet). */
  readonly hostsInFlight: number;
  /** Campaigns by status (every status, 0 included). */
  readonly campaignsByStatus: Readonly<Record<LaunchedCampaignStatus, number>>;
}

/** The only campaign events that change its status; the others (hosts, waves) are not read. */
const STATUS_EVENTS = ['CampaignLaunched', 'CampaignPaused', 'CampaignResumed', 'HostsRequeued', 'CampaignHalted', 'CampaignCancelled', 'CampaignCompleted'];

export async function fleetCounts(db: Db): Promise<FleetCounts> {
  const [inventory, standings, campaignEvents] = await Promise.all([
    db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM hosts`,
    db.$queryRaw<{ state: string | null; n: number }[]>`
      SELECT state->'standing'->>'state' AS state, count(*)::int AS n FROM host_banks GROUP BY 1`,
    // The status of a campaign does not depend on its hosts: the launch's host lists and a
    // requeue's host ids are left out, so that a scrape reads a few small rows per campaign.
    db.$queryRaw<{ stream_id: string; type: string; data: unknown }[]>`
      SELECT stream_id, type,
        CASE type WHEN 'CampaignLaunched' THEN data || '{"waves": [], "clusters": {}}'::jsonb
                  WHEN 'HostsRequeued' THEN data || '{"hostIds": []}'::jsonb
                  ELSE data END AS data
      FROM events
      WHERE starts_with(stream_id, ${campaignStream('')}) AND type = ANY(${STATUS_EVENTS}::text[])
      ORDER BY stream_id, stream_version`,
  ]);
  const hostsByEndState = Object.fromEntries(HOST_END_STATES.map((s) => [s, 0])) as Record<HostEndState, number>;
  let hostsInFlight = 0;
  for (const { state, n } of standings) {
    if (state === 'upgrading') hostsInFlight += n;
    else if (state !== null && state in hostsByEndState) hostsByEndState[state as HostEndState] += n;
  }
  const campaignsByStatus = Object.fromEntries(CAMPAIGN_STATUSES.map((s) => [s, 0])) as Record<LaunchedCampaignStatus, number>;
  const byStream = new Map<string, CampaignEvent[]>();
  for (const row of campaignEvents) {
    const events = byStream.get(row.stream_id) ?? [];
    events.push({ type: row.type, data: row.data } as CampaignEvent);
    byStream.set(row.stream_id, events);
  }
  for (const [streamId, events] of byStream) {
    const { status } = evolveAll(initialState(streamId), events);
    if (status !== 'not-launched') campaignsByStatus[status] += 1;
  }
  return { inventory: inventory[0]?.n ?? 0, hostsByEndState, hostsInFlight, campaignsByStatus };
}
