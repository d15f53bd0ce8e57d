// The figures of `npm run bench:events`, from the events per second of each path in each
// timed run of a case: medians with their spread, and ratios as medians of the per-run
// ratios (each run's paths ran back to back, so a ratio within a run is less noisy than
// one of two medians taken from different runs).

/** One timed run of a case: events per second by path name. */
export type RunFigures = Readonly<Record<string, number>>;

/** The middle value (of an even count, the upper of the two middle ones). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function figure(run: RunFigures, path: string): number {
  const value = run[path];
  if (value === undefined) throw new Error(`no figure for ${path} in a run`);
  return value;
}

/** Median events per second of a path, with the lowest–highest in brackets. */
export function spreadCell(runs: readonly RunFigures[], path: string): string {
  const values = runs.map((run) => figure(run, path));
  return `${median(values).toFixed(0)} (${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)})`;
}

/** The median over the runs of `of`'s events per second divided by `to`'s in the same run. */
export function medianRatio(runs: readonly RunFigures[], of: string, to: string): number {
  return median(runs.map((run) => figure(run, of) / figure(run, to)));
}

/** The line counting the cases where the store wrote more events per second than `peer` (its ratio to it above 1). */
export function aheadLine(peer: string, ratios: readonly number[]): string {
  return `ahead of ${peer}: ${ratios.filter((r) => r > 1).length} of ${ratios.length} cases`;
}
