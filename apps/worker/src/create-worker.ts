import fs from 'node:fs/promises';
import { DefaultLogger, NativeConnection, Worker, bundleWorkflowCode, type WorkerInterceptors, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createActivities, storeCampaignLog, storeHostHistory } from '@bankswitch/activities';
import { translateInfrastructureError, type Tracing } from '@bankswitch/app';
import { createPrismaClient } from '@bankswitch/event-store';
import { createBankswitchStore, fleetCounts } from '@bankswitch/records';
import { campaignActivityTaskQueue, workflowsPath } from '@bankswitch/workflows';
import type { WorkerConfig } from './config';
import { temporalHostBusy } from './host-busy';
import { lazyTemporalClient } from './temporal-client';
import { loadTrustedImageKeys } from './trusted-image-keys';
import { inventoryDrivers } from './host-drivers';
import { activityLogAttributes } from './logging';
import type { WorkerMetrics } from './metrics';
import { WORKFLOW_INTERCEPTOR_MODULES, tracedWithinSpansOnly, tracingActivityInterceptor, workflowSpanSinks } from './tracing';

export interface RunningWorker {
  readonly worker: Worker;
  /** Polls the campaigns' activity queue (campaignActivityTaskQueue). */
  readonly campaignWorker: Worker;
  /** Resolves when the worker has stopped (after shutdown()) and its connections are closed. */
  run(): Promise<void>;
  shutdown(): void;
  /** Resolves when PostgreSQL answers a query within 3 s; rejects saying why not (the worker's /readyz). */
  checkDatabase(): Promise<void>;
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** Campaign activities under way at once per worker process: a few per campaign (appends, start chunks, the watch). */
const CAMPAIGN_ACTIVITY_SLOTS = 20;

function stopIfRunning(worker: Worker): void {
  if (worker.getState() === 'RUNNING') worker.shutdown();
}

/** How often the worker's background projector looks for new events (host_banks). */
const PROJECTOR_POLL_MS = 1_000;

/** Modules the workflow code imports that hold no state: shared by all workflows of a worker. */
const SHARED_WORKFLOW_MODULES: readonly string[] = ['zod', '@bankswitch/campaign', '@bankswitch/banks'];

/** Bundles the workflow code (with the tracing interceptors, tracing.ts) once per process (webpack takes seconds; tests start several workers). */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({
    workflowsPath,
    workflowInterceptorModules: [...WORKFLOW_INTERCEPTOR_MODULES],
    // Loaded once and shared (frozen) by every workflow in the worker's V8 context, instead
    // of once per cached workflow: 4.2 MiB and 31 ms of CPU per workflow down to 0.9 MiB and
    // 12 ms (docs/benchmarks.md, the scale benchmark). Only pure modules without state may be
    // listed: the deciders and the event schemas they import (workflow code never parses).
    preloadModules: [...SHARED_WORKFLOW_MODULES],
    logger: new DefaultLogger('WARN'),
  });
  return bundle;
}

export interface BankswitchWorkerOptions {
  readonly pollMs?: number;
  /** Only tests pass any (the chaos suite's crash points). */
  readonly interceptors?: WorkerInterceptors;
  /** Records the engine's metrics there (metrics.ts); none recorded without. */
  readonly metrics?: WorkerMetrics;
  /** Spans of workflows and activities (startTracing of @bankswitch/app); workflow spans are dropped without. */
  readonly tracing?: Tracing;
}

/**
 * A workflow activation that runs past this is interrupted, and in Node that interrupt can
 * corrupt the async-hook stack of the workflow thread and kill the whole worker ("async hook
 * stack has become corrupted": nodejs/node#38503, temporalio/sdk-typescript#939). The 5 s
 * default did, twice, in a 10,000-host run on a starved machine (load 15–20), where a large
 * campaign's activation took longer; an activation that loops for ever is still stopped.
 * The SDK reads this option (worker-options.js spreads the caller's options over its
 * defaults) but leaves it out of its public type; worker-http.int.spec.ts checks that it holds.
 */
const ISOLATE_EXECUTION_TIMEOUT: Record<string, unknown> = { isolateExecutionTimeout: '30s' };

export async function createBankswitchWorker(config: Omit<WorkerConfig, 'driftWatchEveryMs'>, options: BankswitchWorkerOptions = {}): Promise<RunningWorker> {
  const { metrics, tracing } = options;
  // By default the pool is as large as the activity concurrency, so no activity waits for a
  // connection; a smaller one (BANKSWITCH_DB_POOL) serves many activities that wait on hosts.
  const prisma = createPrismaClient(config.databaseUrl, { maxConnections: config.databaseConnections ?? config.maxConcurrentActivities });
  const store = createBankswitchStore(prisma, metrics ? { onAppend: (o) => metrics.observeAppend(o) } : {});
  const hosts = inventoryDrivers(prisma, metrics ? (driver, name) => metrics.measureDriver(driver, name) : undefined);
  // One client for the activities that need Temporal itself (host workflow starts and lookups, the drift watch's busy check).
  const temporal = lazyTemporalClient(config, tracing?.enabled ? tracedWithinSpansOnly(tracing.workflowClientInterceptors) : []);
  const busy = temporalHostBusy(temporal.get);
  // Read once at start: a key that cannot be read stops the worker here, saying which.
  const trustedImageKeys = await loadTrustedImageKeys(config.trustedImageKeyPaths ?? []);
  const activities = createActivities({
    history: storeHostHistory(store),
    campaigns: storeCampaignLog(store),
    driverFor: (hostId) => hosts.driverFor(hostId),
    readImage: (location) => fs.readFile(location),
    trustedImageKeys,
    pollMs: options.pollMs,
    listHostIds: async (after, limit) =>
      (await prisma.host.findMany({ where: after === null ? {} : { id: { gt: after } }, orderBy: { id: 'asc' }, take: limit, select: { id: true } })).map((h) => h.id),
    hostBusy: (hostId) => busy.hostBusy(hostId),
    workflowClient: async () => (await temporal.get()).workflow,
  });
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  // The span first, so that what the others record and log happens inside it.
  const activityInterceptors = [
    ...(tracing?.enabled ? [tracingActivityInterceptor(tracing)] : []),
    ...(metrics ? [metrics.activityInterceptor] : []),
    activityLogAttributes,
    ...(options.interceptors?.activity ?? []),
  ];
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
    ...ISOLATE_EXECUTION_TIMEOUT,
    // On SIGTERM, running activities (a host mid-reboot wait) get this long to finish before they are cancelled.
    shutdownGraceTime: '10s',
    interceptors: { ...options.interceptors, activity: activityInterceptors },
    sinks: workflowSpanSinks(tracing),
  });
  // The campaigns' own activities, on their own queue (campaignActivityTaskQueue): they
  // never wait behind the hosts' steps for a slot. Activities only, on the same connection.
  const campaignWorker = await Worker.create({
    connection,
    namespace: config.namespace,
    taskQueue: campaignActivityTaskQueue(config.taskQueue),
    activities,
    maxConcurrentActivityTaskExecutions: CAMPAIGN_ACTIVITY_SLOTS,
    shutdownGraceTime: '10s',
    interceptors: { activity: activityInterceptors },
  });
  metrics?.countFrom(() => fleetCounts(prisma));
  // Every look is a transaction of four statements even when nothing is new; the API and
  // the CLI catch the projection up themselves before they read it, so the background
  // projector only keeps it near (metrics): once a second, not five times.
  const projector = store.projections.start({ pollIntervalMs: PROJECTOR_POLL_MS, onError: (error) => console.error('projector:', error) });
  return {
    worker,
    campaignWorker,
    async run() {
      try {
        // Both stop together: one that fails takes the other down, as a crash of the process would.
        await Promise.all([
          worker.run().finally(() => stopIfRunning(campaignWorker)),
          campaignWorker.run().finally(() => stopIfRunning(worker)),
        ]);
      } finally {
        metrics?.countFrom(undefined);
        await projector.stop();
        hosts.closeAll();
        await temporal.close();
        await connection.close();
        await prisma.$disconnect();
      }
    },
    shutdown() {
      stopIfRunning(worker);
      stopIfRunning(campaignWorker);
    },
    async checkDatabase() {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('PostgreSQL did not answer within 3 s')), 3_000)));
      try {
        await Promise.race([prisma.$queryRaw`SELECT 1`, late]);
      } catch (error) {
        throw translateInfrastructureError(error, config.databaseUrl);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
