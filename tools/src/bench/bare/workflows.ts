// Bare Temporal doing the same shape of work as a campaign, for the benchmark's
// baseline. The shape is the engine's own, counted from its histories
// (`bench/engine-shape.ts`): the campaign's activities at launch, one child workflow per
// host started one after the other, a canary that must report before the rest start,
// then a sliding window; each report taken in turn, with the campaign's activities for
// it, before the next child starts; the hosts' activities one after the other, children
// reporting back by signal, as many of them local activities as the engine's. The
// activities do nothing (no events, no hosts, no checks).
import { ParentClosePolicy, condition, defineSignal, getExternalWorkflowHandle, proxyActivities, proxyLocalActivities, setHandler, startChild, workflowInfo } from '@temporalio/workflow';
import type { FloorStep } from '../floor-shape';
import type * as activities from './activities';

const { noop } = proxyActivities<typeof activities>({ startToCloseTimeout: '30s' });
const local = proxyLocalActivities<typeof activities>({ startToCloseTimeout: '30s' });
const hostDone = defineSignal<[string]>('hostDone');

export interface BareShape {
  readonly hosts: number;
  /** Hosts in flight at once after the canary (maxInFlight). */
  readonly window: number;
  /** Hosts in the canary wave: they report before any other host starts. */
  readonly canary: number;
  readonly activitiesPerHost: number;
  /** Of a host's steps, those run as local activities (besides activitiesPerHost). */
  readonly localActivitiesPerHost: number;
  /** The campaign's activities before its first host starts (the launch's append). */
  readonly activitiesAtLaunch: number;
  /** The campaign's activities per host report (the report's append). */
  readonly activitiesPerReport: number;
}

export async function bareCampaign(shape: BareShape): Promise<number> {
  // The campaign's own activities on a queue of their own, as the engine's (campaignActivityTaskQueue).
  const { noop: campaignNoop } = proxyActivities<typeof activities>({ startToCloseTimeout: '30s', taskQueue: `${workflowInfo().taskQueue}-campaign` });
  const reports: string[] = [];
  setHandler(hostDone, (hostWorkflowId) => void reports.push(hostWorkflowId));
  let started = 0;
  let finished = 0;
  const startNext = async () => {
    await startChild(bareHost, {
      workflowId: `${workflowInfo().workflowId}-host-${started}`,
      parentClosePolicy: ParentClosePolicy.ABANDON,
      args: [workflowInfo().workflowId, shape.activitiesPerHost, shape.localActivitiesPerHost],
    });
    started += 1;
  };
  const limit = () => (finished < shape.canary ? shape.canary : shape.window);

  for (let i = 0; i < shape.activitiesAtLaunch; i++) await campaignNoop();
  while (started < Math.min(shape.canary, shape.hosts)) await startNext();
  while (finished < shape.hosts) {
    await condition(() => reports.length > 0);
    reports.shift();
    finished += 1;
    for (let i = 0; i < shape.activitiesPerReport; i++) await campaignNoop();
    while (started < shape.hosts && started - finished < limit()) await startNext();
  }
  return finished;
}

export async function bareHost(parentId: string, activityCount: number, localActivityCount = 0): Promise<void> {
  // Interleaved as the engine's are: a local step between each two activities while there are both.
  for (let a = 0, l = 0; a < activityCount || l < localActivityCount; ) {
    if (l < localActivityCount && (l <= a || a >= activityCount)) {
      await local.noop();
      l += 1;
    } else {
      await noop();
      a += 1;
    }
  }
  await getExternalWorkflowHandle(parentId).signal(hostDone, workflowInfo().workflowId);
}

/** All the hosts' activities in one workflow, the same window wide: what per-host workflows cost. */
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

/**
 * One host of `bench:floor`: the steps of a host's workflow (floor-shape.ts) with nothing
 * behind them, the boot wait as long as a reboot and heartbeating as the engine's does.
 */
export async function floorHost(steps: readonly FloorStep[], rebootMs: number, heartbeatTimeout: string): Promise<void> {
  const { waitForReboot } = proxyActivities<typeof activities>({ startToCloseTimeout: rebootMs + 60_000, heartbeatTimeout });
  for (const step of steps) {
    if (step === 'local') await local.noop();
    else if (step === 'activity') await noop();
    else await waitForReboot(rebootMs);
  }
}
