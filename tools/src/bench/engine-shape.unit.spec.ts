import { describe, expect, it } from 'vitest';
import { engineShapeOf, medianAndSpread } from './engine-shape';

const activity = { activityTaskScheduledEventAttributes: {} };
const localActivity = { markerRecordedEventAttributes: { markerName: 'core_local_activity' } };
const patchMarker = { markerRecordedEventAttributes: { markerName: 'core_patch' } };
const childStart = { startChildWorkflowExecutionInitiatedEventAttributes: {} };
const other = { workflowTaskCompletedEventAttributes: {} };

describe('engineShapeOf', () => {
  it('counts the launch activities before the first child, per report after it, and the median host', () => {
    const campaign = [other, activity, other, childStart, activity, childStart, activity, activity, other, activity];
    const hosts = [[activity, activity, localActivity, other], [activity, patchMarker, activity, activity], [activity, localActivity, localActivity]];
    expect(engineShapeOf(campaign, hosts)).toEqual({ activitiesAtLaunch: 1, activitiesPerReport: 1, activitiesPerHost: 2, localActivitiesPerHost: 1 });
  });

  it('counts from the first start activity in a campaign that starts its hosts by activity (not as children)', () => {
    const startHosts = { activityTaskScheduledEventAttributes: { activityType: { name: 'startHostWorkflows' } } };
    const campaign = [other, activity, other, startHosts, activity, other, activity];
    expect(engineShapeOf(campaign, [[activity], [activity]])).toEqual({ activitiesAtLaunch: 1, activitiesPerReport: 2, activitiesPerHost: 1, localActivitiesPerHost: 0 });
  });

  it('refuses a campaign that started no host, saying so', () => {
    expect(() => engineShapeOf([activity], [[activity]])).toThrow('started no host');
    expect(() => engineShapeOf([childStart], [])).toThrow('no host history');
  });
});

describe('medianAndSpread', () => {
  it('gives the middle value of an odd count, the mean of the two middle ones of an even count, and the range', () => {
    expect(medianAndSpread([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3 });
    expect(medianAndSpread([4, 1, 2, 3])).toEqual({ median: 2.5, min: 1, max: 4 });
  });
});
