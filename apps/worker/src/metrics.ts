// The engine's metrics in the worker, recorded where things happen: each activity (a step
// of an upgrade) by an activity interceptor, each host driver call by a wrapper put
// around the drivers where they are made (host-drivers.ts), each event append by the
// event store's observer. The read model's gauges (hosts by end state, campaigns by
// state) are counted at scrape time (registerReadModelMetrics). docs/observability.md
// lists every metric.
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { BankswitchActivities } from '@bankswitch/activities';
import { registerReadModelMetrics, type FleetCounts } from '@bankswitch/app';
import { streamCategory, type AppendObservation } from '@bankswitch/event-store';
import {
  HostAuthenticationError,
  HostFailedError,
  HostIdentityMismatchError,
  HostKeyMismatchError,
  HostRefusedError,
  HostUnreachableError,
  MalformedHostResponseError,
  type HostDriver,
} from '@bankswitch/host-driver';

/** The `step` label of each activity: the step of an upgrade (or of an operator's action, a campaign, the drift watch) it is. */
export const STEP_OF_ACTIVITY: Record<keyof BankswitchActivities, string> = {
  precheckHost: 'precheck',
  enterMaintenanceMode: 'enter-maintenance',
  exitMaintenanceMode: 'exit-maintenance',
  stageImage: 'stage',
  rebootHost: 'reboot',
  awaitHostBoot: 'await-boot',
  verifyHost: 'verify',
  commitHost: 'commit',
  rollBackHost: 'roll-back',
  settleHost: 'settle',
  recordUpgradeEnd: 'record-end',
  recordHostApproval: 'approval',
  recordCommitBarrier: 'commit-barrier',
  probeHost: 'probe',
  ruleOnHostAction: 'rule-on-action',
  takeHostAction: 'host-action',
  appendCampaignEvents: 'campaign-append',
  startHostWorkflows: 'campaign-start-hosts',
  findEndedHostWorkflows: 'campaign-watch-hosts',
  awaitHostEnds: 'campaign-host-ends',
  maintenanceWindowAt: 'window',
  queryGate: 'gate-sample',
  listHostIds: 'list-hosts',
  observeHosts: 'observe',
};

/** What a driver call is measured as: every method of HostDriver that talks to the host. */
const DRIVER_OPERATIONS = new Set<string>(['getState', 'stageImage', 'reboot', 'commit', 'abandonStage', 'rollBack', 'setMaintenanceMode', 'health', 'bootLog', 'waitUntilUp']);

/** The `kind` label of a driver error: its class, in the words docs/observability.md uses. */
export function driverErrorKind(error: unknown): string {
  if (error instanceof HostUnreachableError) return 'unreachable';
  if (error instanceof HostRefusedError) return 'refused';
  if (error instanceof HostFailedError) return 'failed';
  if (error instanceof MalformedHostResponseError) return 'malformed-response';
  if (error instanceof HostIdentityMismatchError) return 'identity-mismatch';
  if (error instanceof HostKeyMismatchError) return 'host-key-mismatch';
  if (error instanceof HostAuthenticationError) return 'authentication';
  return 'unexpected';
}

/** How an activity ended: retryable and failed are failures Temporal retries, or not. */
function stepOutcome(error: unknown): 'retryable' | 'failed' | 'cancelled' {
  if (error instanceof CancelledFailure) return 'cancelled';
  if (error instanceof ApplicationFailure && error.nonRetryable) return 'failed';
  return 'retryable';
}

// Steps last from milliseconds (an append) to many minutes (a reboot wait, a large stage).
const STEP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200, 1800];
const CALL_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
const APPEND_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export interface WorkerMetrics {
  readonly registry: Registry;
  /** Times every activity by step and outcome, and counts those running. */
  readonly activityInterceptor: ActivityInterceptorsFactory;
  /** The driver, each call timed and each error counted by kind. */
  measureDriver(driver: HostDriver, driverName: string): HostDriver;
  /** For createBankswitchStore({ onAppend }). */
  observeAppend(observation: AppendObservation): void;
  /** Where the read model's gauges count from (the running worker's database); undefined: nowhere now. */
  countFrom(counts: (() => Promise<FleetCounts>) | undefined): void;
}

export interface WorkerMetricsOptions {
  /** Node's process metrics too (process_*, nodejs_*): once per process. */
  readonly processMetrics?: boolean;
  readonly readModelCacheMs?: number;
  /** Where a failed count of the read model is told (default stderr). */
  readonly warn?: (message: string) => void;
}

export async function createWorkerMetrics(options: WorkerMetricsOptions = {}): Promise<WorkerMetrics> {
  const registry = new Registry();
  const registers = [registry];
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  const stepSeconds = new Histogram({
    name: 'bankswitch_step_duration_seconds',
    help: 'Activities (steps of upgrades, operator actions, campaigns and the drift watch) by step and outcome: ok, retryable (failed, Temporal retries it), failed (final), cancelled.',
    labelNames: ['step', 'outcome'],
    buckets: STEP_BUCKETS,
    registers,
  });
  const stepsRunning = new Gauge({ name: 'bankswitch_steps_running', help: 'Activities running in this worker now, by step.', labelNames: ['step'], registers });
  const driverSeconds = new Histogram({
    name: 'bankswitch_driver_call_seconds',
    help: 'Host driver calls by driver (http, esxi-ssh), operation and outcome (ok, error).',
    labelNames: ['driver', 'operation', 'outcome'],
    buckets: CALL_BUCKETS,
    registers,
  });
  const driverErrors = new Counter({
    name: 'bankswitch_driver_errors_total',
    help: 'Host driver calls that failed, by driver, operation and kind (unreachable, refused, failed, malformed-response, identity-mismatch, host-key-mismatch, authentication, unexpected). Unreachable is expected while a host reboots.',
    labelNames: ['driver', 'operation', 'kind'],
    registers,
  });
  const appendSeconds = new Histogram({
    name: 'bankswitch_event_append_seconds',
    help: 'Event store appends by stream category (host, campaign) and outcome (appended, duplicate, conflict, error).',
    labelNames: ['stream', 'outcome'],
    buckets: APPEND_BUCKETS,
    registers,
  });
  const eventsAppended = new Counter({ name: 'bankswitch_events_appended_total', help: 'Events written to the log by this worker, by stream category (duplicates not counted).', labelNames: ['stream'], registers });

  let counts: (() => Promise<FleetCounts>) | undefined;
  await registerReadModelMetrics(registry, () => (counts ? counts() : Promise.reject(new Error('the worker is not running'))), {
    cacheMs: options.readModelCacheMs,
    onError: (error) => (options.warn ?? console.error)(`metrics: the read model could not be counted: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`),
  });

  return {
    registry,
    activityInterceptor: (ctx) => ({
      inbound: {
        async execute(input, next) {
          const type = ctx.info.activityType;
          const step = STEP_OF_ACTIVITY[type as keyof BankswitchActivities] ?? type;
          const stop = stepSeconds.startTimer({ step });
          stepsRunning.inc({ step });
          try {
            const result = await next(input);
            stop({ outcome: 'ok' });
            return result;
          } catch (error) {
            stop({ outcome: stepOutcome(error) });
            throw error;
          } finally {
            stepsRunning.dec({ step });
          }
        },
      },
    }),
    measureDriver(driver, driverName) {
      return new Proxy(driver, {
        get(target, property) {
          const value: unknown = Reflect.get(target, property, target);
          if (typeof value !== 'function') return value;
          // Calls made inside the driver (waitUntilUp's getState) stay unmeasured: one operation, one sample.
          if (typeof property !== 'string' || !DRIVER_OPERATIONS.has(property)) return value.bind(target);
          return async (...args: unknown[]) => {
            const stop = driverSeconds.startTimer({ driver: driverName, operation: property });
            try {
              const result: unknown = await value.apply(target, args);
              stop({ outcome: 'ok' });
              return result;
            } catch (error) {
              stop({ outcome: 'error' });
              driverErrors.inc({ driver: driverName, operation: property, kind: driverErrorKind(error) });
              throw error;
            }
          };
        },
      });
    },
    observeAppend(o) {
      const stream = streamCategory(o.streamId) ?? 'other';
      appendSeconds.observe({ stream, outcome: o.outcome }, o.seconds);
      if (o.outcome === 'appended') eventsAppended.inc({ stream }, o.events);
    },
    countFrom(source) {
      counts = source;
    },
  };
}
