// Pure figures of the scale benchmark (`npm run bench:scale`): percentiles, and each host's
// engine overhead from the recorded events. A host's span runs from the campaign's
// HostStarted (the engine took a slot for it) to the later of the campaign's HostFinished
// (the slot is free again) and the host's UpgradeEnded (its history says how it ended).
// Its overhead is that span minus its reboot (the configured reboot time: detecting the
// new boot late is the engine's time) and minus the waits the run configured.

/** One event as the benchmark reads it from the events table. */
export interface EventRow {
  readonly streamId: string;
  readonly type: string;
  /** The host the event is about: the data's hostId in the campaign's stream; the stream's host in a host stream. */
  readonly hostId: string;
  readonly at: number;
}

/** The steps of one host's upgrade as its history and the campaign's stream record them, in order. */
export const MILESTONES = [
  { name: 'HostStarted', stream: 'campaign' },
  { name: 'UpgradeStarted', stream: 'host' },
  { name: 'MaintenanceModeEntered', stream: 'host' },
  { name: 'ImageStaged', stream: 'host' },
  { name: 'BankBooted', stream: 'host' },
  { name: 'BankCommitted', stream: 'host' },
  { name: 'MaintenanceModeExited', stream: 'host' },
  { name: 'UpgradeEnded', stream: 'host' },
] as const;

/** What the time between two milestones is spent on (the reboot's phase has the reboot taken off). */
export const PHASES = [
  { from: 'HostStarted', to: 'UpgradeStarted', what: 'host workflow start, precheck' },
  { from: 'UpgradeStarted', to: 'MaintenanceModeEntered', what: 'enter maintenance mode' },
  { from: 'MaintenanceModeEntered', to: 'ImageStaged', what: 'stage the image' },
  { from: 'ImageStaged', to: 'BankBooted', what: 'reboot request, boot detected and recorded (minus the reboot)' },
  { from: 'BankBooted', to: 'BankCommitted', what: 'verify, commit' },
  { from: 'BankCommitted', to: 'MaintenanceModeExited', what: 'exit maintenance mode' },
  { from: 'MaintenanceModeExited', to: 'UpgradeEnded', what: 'report to the campaign, record the end' },
  { from: 'UpgradeEnded', to: 'HostFinished', what: 'campaign records the end (after the host, or before: ≤ 0)' },
] as const;

export interface HostSpan {
  readonly hostId: string;
  /** HostStarted → max(HostFinished, UpgradeEnded), ms. */
  readonly spanMs: number;
  /** spanMs minus the reboot and the configured waits. */
  readonly overheadMs: number;
  /** UpgradeStarted → UpgradeEnded, ms (the host's own history only). */
  readonly upgradeMs: number;
  /** Milestone name → time (ms since the epoch), first occurrence; HostFinished the last. */
  readonly at: Readonly<Record<string, number>>;
}

export interface Overheads {
  readonly hosts: readonly HostSpan[];
  /** Hosts with a HostStarted but without every event the span needs. */
  readonly incomplete: readonly string[];
}

/**
 * Each host's span and overhead from the events of one campaign (its stream) and of its
 * hosts' streams. `rebootMs`: the configured reboot; `waitsMs`: other configured waits per
 * host (evacuation, slow stage; 0 when none).
 */
export function hostOverheads(
  events: readonly EventRow[],
  options: { campaignStreamId: string; rebootMs: number; waitsMs?: number; isHostStream?: (streamId: string) => boolean },
): Overheads {
  const isHostStream = options.isHostStream ?? ((id: string) => id.startsWith('host-'));
  const byHost = new Map<string, Record<string, number>>();
  for (const event of [...events].sort((a, b) => a.at - b.at)) {
    const stream = event.streamId === options.campaignStreamId ? 'campaign' : isHostStream(event.streamId) ? 'host' : undefined;
    const known = (event.type === 'HostFinished' && stream === 'campaign') || MILESTONES.some((m) => m.name === event.type && m.stream === stream);
    if (!known) continue;
    const at = byHost.get(event.hostId) ?? {};
    // The first of each step (a retried activity records once; a later HostFinished corrects an earlier end).
    if (event.type === 'HostFinished' || at[event.type] === undefined) at[event.type] = event.at;
    byHost.set(event.hostId, at);
  }
  const hosts: HostSpan[] = [];
  const incomplete: string[] = [];
  for (const [hostId, at] of byHost) {
    if (at.HostStarted === undefined) continue;
    const { HostStarted: started, HostFinished: finished, UpgradeStarted: upgradeStarted, UpgradeEnded: upgradeEnded } = at;
    if (finished === undefined || upgradeStarted === undefined || upgradeEnded === undefined) {
      incomplete.push(hostId);
      continue;
    }
    const spanMs = Math.max(finished, upgradeEnded) - started;
    hosts.push({ hostId, spanMs, overheadMs: spanMs - options.rebootMs - (options.waitsMs ?? 0), upgradeMs: upgradeEnded - upgradeStarted, at });
  }
  return { hosts: hosts.sort((a, b) => a.hostId.localeCompare(b.hostId)), incomplete: incomplete.sort() };
}

/** The p-th percentile (0–100) by nearest rank; NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** p50 / p99 / max of each phase over the hosts that have both of its milestones; the reboot's phase has `rebootMs` taken off. */
export function phaseFigures(hosts: readonly HostSpan[], rebootMs: number): { what: string; from: string; to: string; n: number; p50: number; p99: number; max: number }[] {
  return PHASES.map((phase) => {
    const values = hosts.flatMap((h) => {
      const from = h.at[phase.from];
      const to = h.at[phase.to];
      if (from === undefined || to === undefined) return [];
      return [to - from - (phase.to === 'BankBooted' ? rebootMs : 0)];
    });
    return { ...phase, n: values.length, p50: percentile(values, 50), p99: percentile(values, 99), max: values.length ? Math.max(...values) : Number.NaN };
  });
}

/** The contract's last line. */
export function scaleLine(figures: { hosts: number; hostsPerSecond: number; overheadP99Ms: number; peakMiB: number }): string {
  return `scale: ${figures.hosts} hosts, ${figures.hostsPerSecond.toFixed(2)} hosts/s, overhead p99 ${(figures.overheadP99Ms / 1000).toFixed(2)} s, peak memory ${Math.round(figures.peakMiB)} MiB`;
}
