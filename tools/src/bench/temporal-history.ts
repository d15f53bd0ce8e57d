// How large a workflow's Temporal history grew: each run's event count and size, following
// a chain of continue-as-new back from the latest run to the first; and where a run's
// time went, task by task (how long tasks waited for a worker and how long they ran).
import { Client, Connection } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';

export interface RunHistory {
  readonly runId: string;
  readonly length: number;
  /** Bytes, as the server reports it. */
  readonly bytes: number;
  /** Where the run's time went (campaignRuns only). */
  readonly tasks?: TaskTimes;
}

/** Summed times of a run's tasks, ms, and how many of each. */
export interface TaskTimes {
  /** Workflow tasks: scheduled → started (waiting for the worker), started → completed (the worker's activation). */
  readonly workflowTasks: number;
  readonly workflowTaskWaitMs: number;
  readonly workflowTaskRunMs: number;
  /** Activities: scheduled → started, started → closed (without the waits below). */
  readonly activities: number;
  readonly activityWaitMs: number;
  readonly activityRunMs: number;
  /** The campaign's waits for its hosts' ends in the log (awaitHostEnds): they run beside its other tasks, waiting most of the time. */
  readonly endWaits: number;
  readonly endWaitRunMs: number;
  /** Child workflows: initiated → started. */
  readonly childStarts: number;
  readonly childStartMs: number;
  readonly signals: number;
  /** First event → last event. */
  readonly spanMs: number;
}

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** A protobuf timestamp in ms (its seconds a number, or a Long as the client decodes them). */
function millis(ts: HistoryEvent['eventTime']): number {
  const seconds = ts?.seconds ?? 0;
  return (typeof seconds === 'number' ? seconds : seconds.toNumber()) * 1000 + (ts?.nanos ?? 0) / 1e6;
}

/** Task times of one run's events (pure: the events as fetched). */
export function taskTimes(events: readonly HistoryEvent[]): TaskTimes {
  const at = new Map<number, number>();
  const t = { workflowTasks: 0, workflowTaskWaitMs: 0, workflowTaskRunMs: 0, activities: 0, activityWaitMs: 0, activityRunMs: 0, endWaits: 0, endWaitRunMs: 0, childStarts: 0, childStartMs: 0, signals: 0 };
  const endWaitIds = new Set<number>();
  const time = (e: HistoryEvent) => millis(e.eventTime);
  const since = (id: unknown, e: HistoryEvent) => time(e) - (at.get(Number(id)) ?? time(e));
  for (const e of events) {
    at.set(Number(e.eventId), time(e));
    if (e.workflowTaskStartedEventAttributes) t.workflowTaskWaitMs += since(e.workflowTaskStartedEventAttributes.scheduledEventId, e);
    const wftEnd = e.workflowTaskCompletedEventAttributes ?? e.workflowTaskFailedEventAttributes ?? e.workflowTaskTimedOutEventAttributes;
    if (wftEnd) {
      t.workflowTasks++;
      t.workflowTaskRunMs += since(wftEnd.startedEventId, e);
    }
    if (e.activityTaskScheduledEventAttributes?.activityType?.name === 'awaitHostEnds') endWaitIds.add(Number(e.eventId));
    const started = e.activityTaskStartedEventAttributes;
    if (started && !endWaitIds.has(Number(started.scheduledEventId))) t.activityWaitMs += since(started.scheduledEventId, e);
    const activityEnd = e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes ?? e.activityTaskTimedOutEventAttributes;
    if (activityEnd && endWaitIds.has(Number(activityEnd.scheduledEventId))) {
      t.endWaits++;
      t.endWaitRunMs += since(activityEnd.startedEventId, e);
    } else if (activityEnd) {
      t.activities++;
      t.activityRunMs += since(activityEnd.startedEventId, e);
    }
    if (e.childWorkflowExecutionStartedEventAttributes) {
      t.childStarts++;
      t.childStartMs += since(e.childWorkflowExecutionStartedEventAttributes.initiatedEventId, e);
    }
    if (e.workflowExecutionSignaledEventAttributes) t.signals++;
  }
  const first = events[0];
  const last = events.at(-1);
  return { ...t, spanMs: first && last ? time(last) - time(first) : 0 };
}

/** Every run of the workflow, the first first. */
export async function campaignRuns(address: string, workflowId: string, namespace = 'default'): Promise<RunHistory[]> {
  return withClient(address, namespace, async (client) => {
    const runs: RunHistory[] = [];
    let runId: string | undefined;
    for (;;) {
      const handle = client.workflow.getHandle(workflowId, runId);
      const described = await handle.describe();
      const history = await client.workflow.getHandle(workflowId, described.runId).fetchHistory();
      runs.unshift({ runId: described.runId, length: described.historyLength, bytes: described.historySize ?? 0, tasks: taskTimes(history.events ?? []) });
      // The first event of a run continued from another names that run.
      const first = await client.workflowService.getWorkflowExecutionHistory({ namespace, execution: { workflowId, runId: described.runId }, maximumPageSize: 1 });
      const previous = first.history?.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
      if (!previous || runs.length > 10_000) return runs;
      runId = previous;
    }
  });
}

/** The latest run's history of one workflow. */
export async function hostWorkflowHistory(address: string, workflowId: string, namespace = 'default'): Promise<RunHistory> {
  return withClient(address, namespace, async (client) => {
    const described = await client.workflow.getHandle(workflowId).describe();
    return { runId: described.runId, length: described.historyLength, bytes: described.historySize ?? 0 };
  });
}

async function withClient<T>(address: string, namespace: string, body: (client: Client) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address });
  try {
    return await body(new Client({ connection, namespace }));
  } finally {
    await connection.close();
  }
}
