// Traces through Temporal's OpenTelemetry interceptors: a campaign's workflow → its
// hosts' upgrade workflows → their activities, in one trace (continued from the client
// that started the campaign when it traces too). Workflow code makes its spans inside
// the sandbox and hands them to the worker through the `exporter` sink; activities make
// theirs here. With tracing off (no OTLP endpoint) the sink drops what it is given.
import { trace } from '@opentelemetry/api';
import { Resource } from '@opentelemetry/resources';
import { NoopSpanProcessor } from '@opentelemetry/sdk-trace-base';
import {
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  makeWorkflowExporter,
} from '@temporalio/interceptors-opentelemetry/lib/worker/index.js';
import type { OpenTelemetrySinks } from '@temporalio/interceptors-opentelemetry/lib/workflow/definitions.js';
import type { ActivityInterceptorsFactory, InjectedSinks } from '@temporalio/worker';
import type { WorkflowInfo } from '@temporalio/workflow';
import type { Tracing } from '@bankswitch/app';
import { tracingInterceptorsPath } from '@bankswitch/workflows';
import { idsOfActivityInput, idsOfWorkflow } from './logging';

/**
 * Bundled with the workflows whether tracing is on or not, so that the workflow code is
 * the same in every worker (and in the replay test). Runs that began before it are not
 * traced (libs/workflows/src/tracing-interceptors.ts says why and how).
 */
export const WORKFLOW_INTERCEPTOR_MODULES: readonly string[] = [tracingInterceptorsPath];

/**
 * What a workflow's spans say about it: its ids and the campaign and host it is about.
 * (The SDK's exporter would copy the whole WorkflowInfo onto each span: memo, search
 * attributes and all.)
 */
function spanAttributesOf(info: WorkflowInfo): Record<string, string | number> {
  return {
    workflowId: info.workflowId,
    runId: info.runId,
    workflowType: info.workflowType,
    namespace: info.namespace,
    taskQueue: info.taskQueue,
    attempt: info.attempt,
    ...idsOfWorkflow(info.parent?.workflowId),
    // A host's upgrade started by its campaign's activity (not as a child) names the campaign in its memo.
    ...(typeof info.memo?.campaignId === 'string' ? { campaignId: info.memo.campaignId } : {}),
    ...idsOfWorkflow(info.workflowId),
  };
}

/** The sink workflow spans leave the sandbox through (a worker whose bundle has the interceptors must have it). */
export function workflowSpanSinks(tracing?: Pick<Tracing, 'spanProcessor' | 'resource'>): InjectedSinks<OpenTelemetrySinks> {
  const sink = makeWorkflowExporter(tracing?.spanProcessor ?? new NoopSpanProcessor(), tracing?.resource ?? Resource.empty());
  return { exporter: { export: { ...sink.export, fn: (info, spans) => sink.export.fn(spanAttributesOf(info) as unknown as WorkflowInfo, spans) } } };
}

/** Each activity as a span, child of the workflow's span that scheduled it, naming its campaign and host; its log lines carry the trace id. */
export function tracingActivityInterceptor(tracing: Pick<Tracing, 'tracer'>): ActivityInterceptorsFactory {
  return (ctx) => {
    const inbound = new OpenTelemetryActivityInboundInterceptor(ctx, { tracer: tracing.tracer });
    return {
      inbound: {
        execute: (input, next) =>
          inbound.execute(input, (inside) => {
            trace.getActiveSpan()?.setAttributes(idsOfActivityInput(inside.args[0]));
            return next(inside);
          }),
      },
      outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
    };
  };
}
