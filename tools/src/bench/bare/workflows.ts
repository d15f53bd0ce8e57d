// Bare Temporal doing the same shape of work as a campaign, for the benchmark's
// baseline: one child workflow per host in a sliding window, the same number of
// activities per host and per campaign, children reporting back by signal; the
// activities do nothing (no events, no hosts, no checks).
import { ParentClosePolicy, condition, defineSignal, getExternalWorkflowHandle, proxyActivities, setHandler, startChild, workflowInfo } from '@temporalio/workflow';
import type * as activities from './activities';

const { noop } = proxyActivities<typeof activities>({ startToCloseTimeout: '30s' });
const hostDone = defineSignal<[string]>('hostDone');

export interface BareShape {
  readonly hosts: number;
  readonly window: number;
  readonly activitiesPerHost: number;
  readonly activitiesPerCampaign: number;
}

export async function bareCampaign(shape: BareShape): Promise<number> {
  let finished = 0;
  let started = 0;
  setHandler(hostDone, () => void (finished += 1));
  for (let i = 0; i < shape.activitiesPerCampaign; i++) await noop();
  while (finished < shape.hosts) {
    while (started < shape.hosts && started - finished < shape.window) {
      await startChild(bareHost, {
        workflowId: `${workflowInfo().workflowId}-host-${started}`,
        parentClosePolicy: ParentClosePolicy.ABANDON,
        args: [workflowInfo().workflowId, shape.activitiesPerHost],
      });
      started += 1;
    }
    await condition(() => (started < shape.hosts && started - finished < shape.window) || finished >= shape.hosts);
  }
  return finished;
}

export async function bareHost(parentId: string, activityCount: number): Promise<void> {
  for (let i = 0; i < activityCount; i++) await noop();
  await getExternalWorkflowHandle(parentId).signal(hostDone, workflowInfo().workflowId);
}

/** All the activities in one workflow, the same window wide: what per-host workflows cost. */
export async function flatCampaign(shape: BareShape): Promise<number> {
  let next = 0;
  const total = shape.hosts * shape.activitiesPerHost;
  const lane = async () => {
    while (next < total) {
      next += 1;
      await noop();
    }
  };
  await Promise.all(Array.from({ length: shape.window }, lane));
  return total;
}
