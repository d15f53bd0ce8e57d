// The shape of work the engine's campaign gives Temporal, counted from its histories, so
// that the bare baseline (`bare/workflows.ts`) does the same: how many activities the
// campaign workflow runs before its first host starts and per host report, and how many
// each host's workflow runs (activities and local activities alike).
import type { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

export interface EngineShape {
  readonly activitiesAtLaunch: number;
  readonly activitiesPerReport: number;
  readonly activitiesPerHost: number;
}

const isActivity = (e: HistoryEvent) => Boolean(e.activityTaskScheduledEventAttributes) || Boolean(e.markerRecordedEventAttributes?.markerName === 'core_local_activity');

/**
 * Counts from one campaign's history (a single run) and its hosts' histories (pure).
 * Reports are the hosts' number; per report is rounded to the nearest whole activity, as
 * is the hosts' median.
 */
export function engineShapeOf(campaign: readonly HistoryEvent[], hosts: readonly (readonly HistoryEvent[])[]): EngineShape {
  if (hosts.length === 0) throw new Error('no host history to count the shape from');
  // A host starts as a child (runs before the patch campaign-starts-hosts-by-activity) or by the start activity.
  const firstChild = campaign.findIndex(
    (e) => Boolean(e.startChildWorkflowExecutionInitiatedEventAttributes) || e.activityTaskScheduledEventAttributes?.activityType?.name === 'startHostWorkflows',
  );
  if (firstChild < 0) throw new Error('the campaign started no host: no shape to count');
  const atLaunch = campaign.slice(0, firstChild).filter(isActivity).length;
  const afterLaunch = campaign.slice(firstChild).filter(isActivity).length;
  const perHost = hosts.map((events) => events.filter(isActivity).length).sort((a, b) => a - b);
  return {
    activitiesAtLaunch: atLaunch,
    activitiesPerReport: Math.round(afterLaunch / hosts.length),
    activitiesPerHost: perHost[Math.floor(perHost.length / 2)]!,
  };
}

/** Median and spread of repeated measurements. */
export function medianAndSpread(values: readonly number[]): { median: number; min: number; max: number } {
  if (values.length === 0) throw new Error('no measurement');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}
