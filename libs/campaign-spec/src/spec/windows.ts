// Maintenance windows: when a cron pattern's occurrence (in its timezone) opens a window
// of `durationMs`. Pure given the time asked about: croner computes occurrences from the
// date it is given, never from the clock, so workflows get the same answer on replay.
import { Cron } from 'croner';
import type { MaintenanceWindow } from './types';

/** Whether hosts may start at `at`, and until when that holds (the next change). */
export type WindowState = { readonly open: true; readonly closesAt: string } | { readonly open: false; readonly opensAt: string | null };

const cronOf = (w: MaintenanceWindow) => new Cron(w.cron, { timezone: w.timezone, paused: true });

/** The windows that open after `from` (and any open at `from`), earliest first: [open, close) in ms. */
export function upcomingWindows(windows: readonly MaintenanceWindow[], from: number, count: number): { opensAt: number; closesAt: number }[] {
  const spans: { opensAt: number; closesAt: number }[] = [];
  for (const w of windows) {
    // An occurrence after `from - duration` is a window still open at `from` or a later one.
    for (const run of cronOf(w).nextRuns(count, new Date(from - w.durationMs))) spans.push({ opensAt: run.getTime(), closesAt: run.getTime() + w.durationMs });
  }
  spans.sort((a, b) => a.opensAt - b.opensAt);
  // Overlapping or touching windows are one window.
  const merged: { opensAt: number; closesAt: number }[] = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && span.opensAt <= last.closesAt) last.closesAt = Math.max(last.closesAt, span.closesAt);
    else merged.push({ ...span });
  }
  return merged.slice(0, count);
}

/** Open or closed at `at` (ms since the epoch), and when that changes. */
export function windowAt(windows: readonly MaintenanceWindow[], at: number): WindowState {
  const spans = upcomingWindows(windows, at, 8);
  const current = spans.find((s) => s.opensAt <= at && at < s.closesAt);
  if (current) return { open: true, closesAt: new Date(current.closesAt).toISOString() };
  const next = spans.find((s) => s.opensAt > at);
  return { open: false, opensAt: next ? new Date(next.opensAt).toISOString() : null };
}

/** Why a cron pattern or timezone is not usable, or undefined. */
export function cronProblem(cron: string, timezone: string): { field: 'cron' | 'timezone'; message: string } | undefined {
  try {
    new Cron(cron, { paused: true });
  } catch (error) {
    return { field: 'cron', message: `"${cron}" is not a cron pattern (${(error as Error).message.replace(/^CronPattern: /, '')}); e.g. "0 22 * * 1-5" (minute hour day month weekday, optional seconds first)` };
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    return { field: 'timezone', message: `"${timezone}" is not an IANA timezone, e.g. "Europe/Berlin" or "UTC"` };
  }
  try {
    if (cronOf({ cron, timezone, durationMs: 1 }).nextRun(new Date(0)) === null) return { field: 'cron', message: `"${cron}" never occurs` };
  } catch (error) {
    return { field: 'cron', message: `"${cron}" cannot be scheduled: ${(error as Error).message}` };
  }
  return undefined;
}
