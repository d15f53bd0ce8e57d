// The steps of one host's workflow as Temporal sees them, for `bench:floor`: bare Temporal
// doing the same steps with nothing behind them shows what the engine's shape costs before
// the engine does any work of its own.
import type { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** A local activity (a marker), an activity through the server, or the boot wait (an activity that heartbeats). */
export type FloorStep = 'local' | 'activity' | 'wait';

/**
 * `hostUpgradeWorkflow` on its happy path: precheck (local), maintenance mode, staging,
 * the reboot (local), the boot wait, verification, the commit, leaving maintenance mode
 * and recording the end (local). floor-shape.unit.spec.ts checks it against a recorded
 * history of the engine.
 */
export const ENGINE_HOST_STEPS: readonly FloorStep[] = ['local', 'activity', 'activity', 'local', 'wait', 'activity', 'local', 'local', 'local'];

/** The least a host could cost in Temporal: its own workflow, one activity that waits for the reboot. */
export const MINIMAL_HOST_STEPS: readonly FloorStep[] = ['wait'];

/** The activity that waits for the reboot in the engine's histories. */
const WAIT_ACTIVITY = 'awaitHostBoot';

/** A host workflow's steps, in order, from its history (pure). */
export function hostStepsOf(events: readonly HistoryEvent[]): FloorStep[] {
  return events.flatMap((e): FloorStep[] => {
    if (e.markerRecordedEventAttributes?.markerName === 'core_local_activity') return ['local'];
    const scheduled = e.activityTaskScheduledEventAttributes;
    if (scheduled) return [scheduled.activityType?.name === WAIT_ACTIVITY ? 'wait' : 'activity'];
    return [];
  });
}
