// The shape of work the engine's campaign gives Temporal, counted from its histories, so
// that the bare baseline (`bare/workflows.ts`) does the same: how many activities the
// campaign workflow runs before its first host starts and per host report (activities
// and local activities alike), and how many activities and local activities each host's
// workflow runs.
import type { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

export interface EngineShape {
  readonly activitiesAtLaunch: number;
  readonly activitiesPerReport: number;
  readonly activitiesPerHost: number;
  readonly localActivitiesPerHost: number;
}

const isLocalActivity = (e: HistoryEvent) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity';
const isActivity = (e: HistoryEvent) => Boolean(e.activityTaskScheduledEventAttributes) || isLocalActivity(e);

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
  const median = (count: (events: readonly HistoryEvent[]) => number) => hosts.map(count).sort((a, b) => a - b)[Math.floor(hosts.length / 2)]!;
  return {
    activitiesAtLaunch: atLaunch,
    activitiesPerReport: Math.round(afterLaunch / hosts.length),
    activitiesPerHost: median((events) => events.filter((e) => Boolean(e.activityTaskScheduledEventAttributes)).length),
    localActivitiesPerHost: median((events) => events.filter(isLocalActivity).length),
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
