// `campaign watch`: live progress until the campaign ends. A cli-progress bar on a TTY,
// plain lines (one per change, one per host that finishes) otherwise, NDJSON with --json.
import cliProgress from 'cli-progress';
import { isAppError, type BankswitchApp, type CampaignView } from '@bankswitch/app';
import { hostStatusText, progressLine } from './format';

export interface WatchOptions {
  readonly intervalMs: number;
  readonly json: boolean;
  readonly tty: boolean;
  readonly write: (line: string) => void;
}

const finished = (status: string) => status !== 'pending' && status !== 'running';

export async function watchCampaign(app: BankswitchApp, campaignId: string, options: WatchOptions): Promise<CampaignView> {
  let bar: cliProgress.SingleBar | undefined;
  let lastLine = '';
  const seen = new Map<string, string>();
  let failures = 0;
  try {
    for (;;) {
      let view: CampaignView;
      try {
        view = await app.campaignStatus(campaignId);
        failures = 0;
      } catch (error) {
        // Between two runs (continue-as-new, a retry run starting) a query can miss; not found is final.
        if ((isAppError(error) && error.kind !== 'unavailable') || ++failures > 10) throw error;
        await sleep(options.intervalMs);
        continue;
      }
      const p = view.progress;
      if (options.json) {
        const line = JSON.stringify({ campaignId, status: view.status, running: view.running, progress: p });
        if (line !== lastLine) options.write(line);
        lastLine = line;
      } else if (p && options.tty) {
        const payload = { status: view.status, wave: `${Math.min(p.wave, p.waves.length - 1)}/${p.waves.length - 1}`, inFlight: p.inFlight, failed: `${p.failed}/${p.failureBudget}` };
        const value = p.hosts.filter((h) => finished(h.status)).length;
        if (!bar) {
          bar = new cliProgress.SingleBar(
            { format: `${campaignId} {bar} {value}/{total} hosts · {status} · wave {wave} · in flight {inFlight} · failed {failed}`, hideCursor: true, clearOnComplete: false },
            cliProgress.Presets.shades_classic,
          );
          bar.start(p.hosts.length, value, payload);
        } else bar.update(value, payload);
      } else if (p) {
        for (const h of p.hosts) {
          if (finished(h.status) && seen.get(h.hostId) !== `${h.status}/${h.attempts}`) {
            seen.set(h.hostId, `${h.status}/${h.attempts}`);
            options.write(`  ${h.hostId} ${hostStatusText(h)}${h.reason ? `: ${h.reason}` : ''}`);
          }
        }
        const line = progressLine(p);
        if (line !== lastLine) options.write(`${new Date().toISOString().slice(11, 19)} ${line}`);
        if (line !== lastLine && view.status === 'awaiting-approval') options.write(`  waiting for approval: \`bankswitch campaign approve ${campaignId}\``);
        lastLine = line;
      }
      if (!view.running) return view;
      await sleep(options.intervalMs);
    }
  } finally {
    bar?.stop();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Exit codes of `campaign watch` (and of the demo): how the campaign ended. */
export const WATCH_EXIT = { completed: 0, halted: 6, cancelled: 7, other: 8 } as const;

export function watchExitCode(view: CampaignView): number {
  if (view.status === 'completed') return WATCH_EXIT.completed;
  if (view.status === 'halted') return WATCH_EXIT.halted;
  if (view.status === 'cancelled') return WATCH_EXIT.cancelled;
  return WATCH_EXIT.other;
}
