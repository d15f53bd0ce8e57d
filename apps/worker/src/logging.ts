// The worker's log: one JSON line per message (pino), from the SDK (worker and workflow
// lifecycle, activity failures, Temporal Core's own messages when forwarded) and from
// activities (Context.log), each with the workflow id and, where known, the campaign
// and host ids. Workflow ids name them (host-<id>, campaign-<id>); an activity's input
// names both.
import pino, { type DestinationStream, type Logger as PinoLogger } from 'pino';
import type { LogLevel, LogMetadata, Logger } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { campaignActivityTaskQueue, campaignWorkflowId, hostWorkflowId } from '@bankswitch/workflows';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;
export type WorkerLogLevel = (typeof LOG_LEVELS)[number];

const HOST_PREFIX = hostWorkflowId('');
const CAMPAIGN_PREFIX = campaignWorkflowId('');

/** The campaign or host a workflow id names. */
export function idsOfWorkflow(workflowId: unknown): { campaignId?: string; hostId?: string } {
  if (typeof workflowId !== 'string') return {};
  if (workflowId.startsWith(HOST_PREFIX)) return { hostId: workflowId.slice(HOST_PREFIX.length) };
  if (workflowId.startsWith(CAMPAIGN_PREFIX)) return { campaignId: workflowId.slice(CAMPAIGN_PREFIX.length) };
  return {};
}

/** The campaign and host an activity's input names (HostStep and most others carry both). */
export function idsOfActivityInput(input: unknown): { campaignId?: string; hostId?: string } {
  const first = input as { campaignId?: unknown; hostId?: unknown } | undefined;
  return {
    ...(typeof first?.campaignId === 'string' ? { campaignId: first.campaignId } : {}),
    ...(typeof first?.hostId === 'string' ? { hostId: first.hostId } : {}),
  };
}

/** Attributes of the SDK's messages that say nothing to a reader (the task token is an opaque blob). */
const DROPPED = new Set(['taskToken']);

/**
 * The SDK warns that a worker without workflows polls no workflow tasks. The campaigns'
 * activity worker has none by design (create-worker.ts): for it, that is news, not a warning.
 */
export function levelOf(level: LogLevel, message: string, meta: LogMetadata): LogLevel {
  const activityOnly = typeof meta.taskQueue === 'string' && meta.taskQueue.endsWith(campaignActivityTaskQueue(''));
  return level === 'WARN' && activityOnly && message.startsWith('No workflows registered') ? 'INFO' : level;
}

/** Temporal's Logger over pino: the Runtime's logger, so that everything the SDK logs is a JSON line. */
export class JsonLogger implements Logger {
  constructor(readonly pino: PinoLogger) {}

  log(level: LogLevel, message: string, meta: LogMetadata = {}): void {
    const fields: Record<string, unknown> = { ...idsOfWorkflow(meta.workflowId) };
    for (const [key, value] of Object.entries(meta)) {
      if (DROPPED.has(key) || value === undefined) continue;
      fields[key === 'error' || key === 'failure' ? 'err' : key] = value;
    }
    this.pino[levelOf(level, message, meta).toLowerCase() as WorkerLogLevel](fields, message);
  }
  trace = (message: string, meta?: LogMetadata) => this.log('TRACE', message, meta);
  debug = (message: string, meta?: LogMetadata) => this.log('DEBUG', message, meta);
  info = (message: string, meta?: LogMetadata) => this.log('INFO', message, meta);
  warn = (message: string, meta?: LogMetadata) => this.log('WARN', message, meta);
  error = (message: string, meta?: LogMetadata) => this.log('ERROR', message, meta);
}

/** The worker's JSON log, to stderr unless told otherwise (synchronous: a worker killed mid-campaign loses no line). */
export function createWorkerLog(level: WorkerLogLevel = 'info', destination: DestinationStream = pino.destination({ dest: 2, sync: true })): JsonLogger {
  return new JsonLogger(
    pino({ name: 'bankswitch-worker', level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime, serializers: { err: pino.stdSerializers.err } }, destination),
  );
}

/** Adds the campaign and host ids of an activity's input to what it logs (Context.log, and the SDK's messages about it). */
export const activityLogAttributes: ActivityInterceptorsFactory = () => {
  let ids: Record<string, string> = {};
  return {
    inbound: {
      execute(input, next) {
        ids = idsOfActivityInput(input.args[0]);
        return next(input);
      },
    },
    outbound: {
      getLogAttributes: (attributes, next) => next({ ...ids, ...attributes }),
    },
  };
};
