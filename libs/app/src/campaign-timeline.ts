// A campaign's story as its events tell it (each event with when, who, and what it says
// in words), and who launched each campaign: read from the campaign streams, for the
// dashboard's campaign page and campaign list.
import { campaignStream, type Records } from '@bankswitch/records';

export interface CampaignTimelineEntry {
  readonly at: string;
  readonly version: number;
  readonly type: string;
  /** The event in words. */
  readonly summary: string;
  /** The host the event is about, when it is about one. */
  readonly hostId?: string;
  /** Who asked for it (event metadata): the operator of a pause, a retry, a launch. */
  readonly operator?: string;
  readonly data: unknown;
}

export interface CampaignTimeline {
  readonly campaignId: string;
  /** Events from `fromVersion` on, in order. */
  readonly entries: readonly CampaignTimelineEntry[];
}

export interface CampaignLaunch {
  readonly campaignId: string;
  readonly launchedAt: string;
  /** The operator recorded with its CampaignLaunched event; null when none was. */
  readonly launchedBy: string | null;
}

type Data = Record<string, unknown>;
const waveName = (wave: unknown) => (wave === 0 ? 'wave 0 (canary)' : `wave ${String(wave)}`);
const barrierName = (barrier: unknown) => (barrier === 'campaign' ? "the campaign's commit barrier" : `the commit barrier of wave ${String(barrier).replace(/^wave-/, '')}`);
const list = (ids: unknown) => (Array.isArray(ids) ? ids.join(', ') : '');
const summaries: Record<string, (d: Data) => string> = {
  CampaignLaunched: (d) => {
    const waves = (d.waves as { hosts: string[] }[] | undefined) ?? [];
    const hosts = waves.reduce((n, w) => n + w.hosts.length, 0);
    return `launched: ${hosts} host${hosts === 1 ? '' : 's'} in ${waves.length} wave${waves.length === 1 ? '' : 's'} to ${d.targetBuild}, at most ${d.maxInFlight} in flight, failure budget ${d.failureBudget}`;
  },
  WaveStarted: (d) => `${waveName(d.wave)} started: ${list(d.hosts)}`,
  WaveFinished: (d) => `${waveName(d.wave)} finished: ${d.succeeded} succeeded, ${d.failed} failed${d.awaitingCommit ? `, ${String(d.awaitingCommit)} waiting at the commit barrier` : ''}`,
  HostStarted: (d) => `${d.hostId} handed to its upgrade (attempt ${d.attempt})`,
  HostFinished: (d) => `${d.hostId} ${d.endState} (${d.cause})${d.reason ? `: ${d.reason}` : ''}${d.settle ? `; to settle: ${d.settle}` : ''}`,
  CampaignPaused: (d) => `paused (${d.kind}): ${d.reason}`,
  CampaignResumed: () => 'resumed',
  HostsRequeued: (d) => `requeued for another attempt: ${list(d.hostIds)}`,
  CampaignHalted: (d) => `halted: ${d.reason}`,
  CampaignCancelled: (d) => `cancelled: ${d.reason}`,
  WindowOpened: (d) => `maintenance window open until ${String(d.closesAt)}: hosts may start`,
  WindowClosed: (d) => `maintenance window closed: no host starts until ${d.opensAt === null ? 'a window opens' : String(d.opensAt)}; hosts in flight finish`,
  GatesStarted: (d) => `gates after ${waveName(d.afterWave)}: ${list(d.gates)}`,
  GateEvaluated: (d) =>
    `gate ${String(d.gate)} after ${waveName(d.afterWave)} ${d.passed ? 'passed' : `failed (${String(d.onFail)})`}: values ${list(d.values)} (expected ${String(d.expect)})${d.detail ? `; ${String(d.detail)}` : ''}`,
  HostWaitingForApproval: (d) => `${d.hostId} waits for an operator's approval before the ${String(d.point)}`,
  HostApproved: (d) => `${d.hostId} approved before the ${String(d.point)}${d.by ? ` by ${String(d.by)}` : ''}`,
  HostAwaitingCommit: (d) => `${d.hostId} verified; waiting at ${barrierName(d.barrier)}, not committed`,
  BarrierReleased: (d) =>
    `${barrierName(d.barrier)} released: ${d.decision === 'commit' ? 'commit' : 'roll back'} ${list(d.hostIds) || 'no waiting host'} (${String(d.reason)})`,
  CampaignCompleted: (d) => `completed: ${d.succeeded} succeeded, ${d.failed} failed, ${d.skipped} skipped`,
  HostUpgradeStarted: (d) => `${d.hostId} upgrade to ${d.toBuild} started (attempt ${d.attempt})`,
  HostUpgradeSucceeded: (d) => `${d.hostId} upgraded to ${d.build} on bank ${d.bank}`,
  HostUpgradeSkipped: (d) => `${d.hostId} skipped: ${d.reason}`,
  HostUpgradeFailed: (d) => `${d.hostId} ${d.outcome}: ${d.reason}`,
};

/** The campaign's events from `fromVersion` (default 1) on; none for a campaign with no events (yet). */
export async function campaignTimeline(records: Records, campaignId: string, options: { fromVersion?: number } = {}): Promise<CampaignTimeline> {
  const events = await records.store.readStream(campaignStream(campaignId), { fromVersion: options.fromVersion ?? 1 });
  const entries = events.map((e): CampaignTimelineEntry => {
    const data = e.data as Data;
    return {
      at: e.recordedAt.toISOString(),
      version: e.streamVersion,
      type: e.type,
      summary: summaries[e.type]?.(data) ?? e.type,
      ...(typeof data.hostId === 'string' ? { hostId: data.hostId } : {}),
      ...(e.metadata.operator ? { operator: e.metadata.operator } : {}),
      data,
    };
  });
  return { campaignId, entries };
}

/** Who launched each campaign, newest first (as `listCampaigns` orders them). */
export async function campaignLaunches(records: Records, options: { limit?: number } = {}): Promise<CampaignLaunch[]> {
  const ids = await records.campaignIds({ limit: options.limit ?? 50 });
  const launches: CampaignLaunch[] = [];
  for (const campaignId of ids) {
    const first = (await records.store.readStream(campaignStream(campaignId)))[0];
    if (!first) continue;
    const launchedBy = first.metadata.operator ?? (first.type === 'CampaignLaunched' ? first.data.launchedBy : null) ?? null;
    launches.push({ campaignId, launchedAt: first.recordedAt.toISOString(), launchedBy });
  }
  return launches;
}
