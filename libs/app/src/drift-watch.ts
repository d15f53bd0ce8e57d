// The drift watch from the operator's side: the Temporal Schedule that runs it on an
// interval (the worker keeps it as configured), and a run on demand over some or all
// hosts (`bankswitch hosts observe`, POST /hosts/observe), waited for.
import { randomUUID } from 'node:crypto';
import { ScheduleNotFoundError, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { PrismaClient } from '@bankswitch/event-store';
import { driftWatchWorkflow, type DriftWatchResult } from '@bankswitch/workflows';
import { NotFoundError } from './errors';
import { findHost } from './inventory';
import { unavailable } from './temporal';

export const DRIFT_WATCH_SCHEDULE_ID = 'bankswitch-drift-watch';

export interface DriftWatchReport extends DriftWatchResult {
  readonly workflowId: string;
}

/**
 * Keeps the drift watch's schedule as asked: created when missing, its interval updated
 * when it differs, removed when `everyMs` is null (the watch is off). Runs that would
 * overlap a running one are skipped; runs missed while Temporal was down are not made up.
 */
export async function ensureDriftWatchSchedule(
  client: Client,
  options: { taskQueue: string; everyMs: number | null; scheduleId?: string; hostIds?: readonly string[] },
): Promise<'created' | 'updated' | 'unchanged' | 'removed' | 'absent'> {
  const scheduleId = options.scheduleId ?? DRIFT_WATCH_SCHEDULE_ID;
  // Every host of the inventory, unless told otherwise (the tests watch only their own fleet).
  const input = { by: 'drift watch (schedule)', ...(options.hostIds ? { hostIds: options.hostIds } : {}) };
  const action = { type: 'startWorkflow' as const, workflowType: driftWatchWorkflow, workflowId: `drift-watch-${options.taskQueue}`, taskQueue: options.taskQueue, args: [input] as [typeof input] };
  const handle = client.schedule.getHandle(scheduleId);
  let current: Awaited<ReturnType<typeof handle.describe>> | undefined;
  try {
    current = await handle.describe();
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
  }
  if (options.everyMs === null) {
    if (!current) return 'absent';
    await handle.delete();
    return 'removed';
  }
  const everyMs = options.everyMs;
  if (!current) {
    await client.schedule.create({
      scheduleId,
      spec: { intervals: [{ every: everyMs }] },
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1m' },
    });
    return 'created';
  }
  const interval = current.spec.intervals?.[0];
  const sameQueue = current.action.type === 'startWorkflow' && current.action.taskQueue === options.taskQueue;
  if (interval?.every === everyMs && current.spec.intervals?.length === 1 && sameQueue) return 'unchanged';
  await handle.update((previous) => ({
    ...previous,
    spec: { intervals: [{ every: everyMs }] },
    action,
  }));
  return 'updated';
}

/** Runs the drift watch now over the named hosts (ids or names), a cluster's, or all, and waits for what it found. */
export async function observeHostsNow(
  deps: { prisma: PrismaClient; temporal: Client; taskQueue: string },
  options: { by: string; hosts?: readonly string[]; cluster?: string },
): Promise<DriftWatchReport> {
  let hostIds: string[] | undefined;
  if (options.hosts?.length) {
    const found = await Promise.all(options.hosts.map((ref) => findHost(deps.prisma, ref).then((h) => h.id, () => undefined)));
    const unknown = options.hosts.filter((_, i) => found[i] === undefined);
    if (unknown.length > 0) throw new NotFoundError(`no host ${unknown.map((u) => `"${u}"`).join(', ')} in the inventory: check \`bankswitch hosts list\`; nothing was observed`);
    hostIds = found as string[];
  } else if (options.cluster) {
    hostIds = (await deps.prisma.host.findMany({ where: { cluster: options.cluster }, orderBy: { id: 'asc' }, select: { id: true } })).map((h) => h.id);
    if (hostIds.length === 0) throw new NotFoundError(`no hosts in cluster "${options.cluster}": check \`bankswitch hosts list\`; nothing was observed`);
  }
  const workflowId = `drift-watch-now-${randomUUID().slice(0, 8)}`;
  try {
    const result = await deps.temporal.workflow.execute(driftWatchWorkflow, {
      taskQueue: deps.taskQueue,
      workflowId,
      args: [{ by: options.by, ...(hostIds ? { hostIds } : {}) }],
    });
    return { workflowId, ...result };
  } catch (error) {
    throw unavailable(error);
  }
}
