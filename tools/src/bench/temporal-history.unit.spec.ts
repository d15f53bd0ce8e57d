import { describe, expect, test } from 'vitest';
import { taskTimes } from './temporal-history';

const at = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 });

describe('taskTimes', () => {
  test('sums how long workflow tasks, activities and child starts waited and ran, the waits for host ends apart', () => {
    const events = [
      { eventId: 1, eventTime: at(0), workflowExecutionStartedEventAttributes: {} },
      { eventId: 2, eventTime: at(0) },
      { eventId: 3, eventTime: at(10), workflowTaskStartedEventAttributes: { scheduledEventId: 2 } },
      { eventId: 4, eventTime: at(15), workflowTaskCompletedEventAttributes: { startedEventId: 3 } },
      { eventId: 5, eventTime: at(15), activityTaskScheduledEventAttributes: {} },
      { eventId: 6, eventTime: at(35), activityTaskStartedEventAttributes: { scheduledEventId: 5 } },
      { eventId: 7, eventTime: at(38), activityTaskCompletedEventAttributes: { startedEventId: 6 } },
      { eventId: 8, eventTime: at(40), workflowExecutionSignaledEventAttributes: {} },
      { eventId: 9, eventTime: at(41) },
      { eventId: 10, eventTime: at(45), workflowTaskStartedEventAttributes: { scheduledEventId: 9 } },
      { eventId: 11, eventTime: at(52), workflowTaskCompletedEventAttributes: { startedEventId: 10 } },
      { eventId: 12, eventTime: at(52), startChildWorkflowExecutionInitiatedEventAttributes: {} },
      { eventId: 13, eventTime: at(1_060), childWorkflowExecutionStartedEventAttributes: { initiatedEventId: 12 } },
      // A wait for hosts' ends runs beside the rest: counted apart.
      { eventId: 14, eventTime: at(1_060), activityTaskScheduledEventAttributes: { activityType: { name: 'awaitHostEnds' } } },
      { eventId: 15, eventTime: at(1_062), activityTaskStartedEventAttributes: { scheduledEventId: 14 } },
      { eventId: 16, eventTime: at(1_562), activityTaskCompletedEventAttributes: { scheduledEventId: 14, startedEventId: 15 } },
    ];
    // Ids and seconds as numbers; the client decodes them as Longs, which Number() reads the same.
    expect(taskTimes(events as unknown as Parameters<typeof taskTimes>[0])).toEqual({
      workflowTasks: 2,
      workflowTaskWaitMs: 14,
      workflowTaskRunMs: 12,
      activities: 1,
      activityWaitMs: 20,
      activityRunMs: 3,
      endWaits: 1,
      endWaitRunMs: 500,
      childStarts: 1,
      childStartMs: 1_008,
      signals: 1,
      spanMs: 1_562,
    });
  });

  test('no events, no time', () => {
    expect(taskTimes([]).spanMs).toBe(0);
  });
});
