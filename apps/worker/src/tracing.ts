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
import { TRACE_HEADER } from '@temporalio/interceptors-opentelemetry/lib/instrumentation.js';
import type { OpenTelemetrySinks } from '@temporalio/interceptors-opentelemetry/lib/workflow/definitions.js';
import type { WorkflowClientInterceptor } from '@temporalio/client';
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

/**
 * Each activity of a traced workflow as a span, child of the workflow's span that
 * scheduled it, naming its campaign and host; its log lines carry the trace id. An
 * activity scheduled without a trace context (its workflow run is untraced:
 * libs/workflows/src/tracing-interceptors.ts) makes no span, so what it starts (a
 * campaign's host workflows) is untraced too.
 */
export function tracingActivityInterceptor(tracing: Pick<Tracing, 'tracer'>): ActivityInterceptorsFactory {
  return (ctx) => {
    const inbound = new OpenTelemetryActivityInboundInterceptor(ctx, { tracer: tracing.tracer });
    return {
      inbound: {
        execute: (input, next) =>
          input.headers[TRACE_HEADER] === undefined
            ? next(input)
            : inbound.execute(input, (inside) => {
                trace.getActiveSpan()?.setAttributes(idsOfActivityInput(inside.args[0]));
                return next(inside);
              }),
      },
      outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
    };
  };
}

type ClientMethod = (input: unknown, next: (input: unknown) => Promise<unknown>) => Promise<unknown>;
const CLIENT_METHODS = ['start', 'startWithDetails', 'signal', 'signalWithStart', 'startUpdate', 'startUpdateWithStart', 'query', 'terminate', 'cancel', 'describe'] as const;

/**
 * The worker's own client interceptors (host workflow starts by a campaign's activity),
 * tracing only calls made inside a span: a traced activity's. Temporal's would otherwise
 * make each call a root span and hand the started workflow a trace context, so an
 * untraced campaign's hosts would be traced.
 */
export function tracedWithinSpansOnly(interceptors: readonly WorkflowClientInterceptor[]): WorkflowClientInterceptor[] {
  return interceptors.map((interceptor) => {
    const gated: Record<string, ClientMethod> = {};
    for (const name of CLIENT_METHODS) {
      const method = interceptor[name] as ClientMethod | undefined;
      if (method) gated[name] = (input, next) => (trace.getActiveSpan() ? method.call(interceptor, input, next) : next(input));
    }
    return gated as WorkflowClientInterceptor;
  });
}
