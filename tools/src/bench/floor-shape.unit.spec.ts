import fs from 'node:fs';
import { temporal } from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { ENGINE_HOST_STEPS, hostStepsOf } from './floor-shape';

/** A host upgraded without a hitch, recorded from the engine (apps/worker/test/histories, re-recorded with the workflows). */
const RECORDED_HOST = new URL('../../../apps/worker/test/histories/healthy__host-ok-esx01-ends-from-log.pb', import.meta.url);

describe('hostStepsOf', () => {
  it('reads local activities, activities and the boot wait in order, and nothing else', () => {
    const events = [
      { workflowExecutionStartedEventAttributes: {} },
      { markerRecordedEventAttributes: { markerName: 'core_patch' } },
      { markerRecordedEventAttributes: { markerName: 'core_local_activity' } },
      { activityTaskScheduledEventAttributes: { activityType: { name: 'stageImage' } } },
      { activityTaskCompletedEventAttributes: {} },
      { activityTaskScheduledEventAttributes: { activityType: { name: 'awaitHostBoot' } } },
    ];
    expect(hostStepsOf(events)).toEqual(['local', 'activity', 'wait']);
  });
});

describe('ENGINE_HOST_STEPS', () => {
  it("is the engine's host workflow on its happy path, as recorded", () => {
    const history = temporal.api.history.v1.History.decode(fs.readFileSync(RECORDED_HOST));
    expect(hostStepsOf(history.events ?? [])).toEqual(ENGINE_HOST_STEPS);
  });
});
