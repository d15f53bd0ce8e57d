import fs from 'node:fs/promises';
import { DefaultLogger, NativeConnection, Worker, bundleWorkflowCode, type WorkerInterceptors, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createActivities, storeCampaignLog, storeHostHistory } from '@bankswitch/activities';
import { createPrismaClient } from '@bankswitch/event-store';
import { createBankswitchStore } from '@bankswitch/records';
import { workflowsPath } from '@bankswitch/workflows';
import type { WorkerConfig } from './config';
import { temporalHostBusy } from './host-busy';
import { inventoryDrivers } from './host-drivers';

export interface RunningWorker {
  readonly worker: Worker;
  /** Resolves when the worker has stopped (after shutdown()) and its connections are closed. */
  run(): Promise<void>;
  shutdown(): void;
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** Bundles the workflow code once per process (webpack takes seconds; tests start several workers). */
function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') });
  return bundle;
}

export async function createBankswitchWorker(config: Omit<WorkerConfig, 'driftWatchEveryMs'>, options: { pollMs?: number; interceptors?: WorkerInterceptors } = {}): Promise<RunningWorker> {
  // The pool is as large as the activity concurrency, so no activity waits for a connection.
  const prisma = createPrismaClient(config.databaseUrl, { maxConnections: config.maxConcurrentActivities });
  const store = createBankswitchStore(prisma);
  const hosts = inventoryDrivers(prisma);
  const busy = temporalHostBusy(config);
  const activities = createActivities({
    history: storeHostHistory(store),
    campaigns: storeCampaignLog(store),
    driverFor: (hostId) => hosts.driverFor(hostId),
    readImage: (location) => fs.readFile(location),
    pollMs: options.pollMs,
    listHostIds: async (after, limit) =>
      (await prisma.host.findMany({ where: after === null ? {} : { id: { gt: after } }, orderBy: { id: 'asc' }, take: limit, select: { id: true } })).map((h) => h.id),
    hostBusy: (hostId) => busy.hostBusy(hostId),
  });
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  const worker = await Worker.create({
    connection,
    namespace: config.namespace,
    taskQueue: config.taskQueue,
    workflowBundle: await workflowBundle(),
    activities,
    // Bounded by the database pool above (style: activity concurrency within the pool).
    maxConcurrentActivityTaskExecutions: config.maxConcurrentActivities,
    // Campaign and host workflows are small; the default of 40 leaves 2 cores idle-waiting on I/O-bound tasks.
    maxConcurrentWorkflowTaskExecutions: 100,
    // Keep every host workflow of a large campaign in the sticky cache, so no history is replayed per step.
    maxCachedWorkflows: 2_000,
    // On SIGTERM, running activities (a host mid-reboot wait) get this long to finish before they are cancelled.
    shutdownGraceTime: '10s',
    // Only tests pass any (the chaos suite's crash points).
    ...(options.interceptors ? { interceptors: options.interceptors } : {}),
  });
  const projector = store.projections.start({ onError: (error) => console.error('projector:', error) });
  return {
    worker,
    async run() {
      try {
        await worker.run();
      } finally {
        await projector.stop();
        hosts.closeAll();
        await busy.close();
        await connection.close();
        await prisma.$disconnect();
      }
    },
    shutdown: () => worker.shutdown(),
  };
}
