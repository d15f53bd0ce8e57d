// Workflow interceptors the worker bundles beside the workflows (not a workflow): the
// OpenTelemetry interceptors of @temporalio/interceptors-opentelemetry, for workflow runs
// that began with them only. Their spans wrap each activity, child workflow and update
// in a few more awaits, which moves where a workflow's later commands fall when an
// activity's result and an update arrive together: a run that began without them must
// go on without them, or its replay would not match its history. A patch marker recorded
// at the start of a run says which rule it began under, so it replays, and continues,
// under the same one. Keep this module in the bundle for as long as runs with either
// marker may be running (docs/observability.md).
import type * as OtelWorkflow from '@temporalio/interceptors-opentelemetry/lib/workflow';
import { patched, type WorkflowExecuteInput, type WorkflowInboundCallsInterceptor, type WorkflowInterceptors, type WorkflowOutboundCallsInterceptor } from '@temporalio/workflow';
import { TRACE_HEADER } from './trace-header';

// Webpack's synchronous require of a module in the same bundle.
declare const require: (id: string) => unknown;

/**
 * The OpenTelemetry workflow modules, loaded on a traced run's first use only: each cached
 * workflow instantiates the modules it loads (Temporal's per-workflow module cache), and
 * these, with @opentelemetry's, are most of what an untraced workflow would carry.
 */
function otelWorkflowModule(): typeof OtelWorkflow {
  // A require, not an import: an import would load it in every workflow.
  return require('@temporalio/interceptors-opentelemetry/lib/workflow') as typeof OtelWorkflow;
}

/** Runs that began with this marker (and not TRACE_WHEN_ASKED_PATCH) are all traced. */
export const TRACING_PATCH = 'opentelemetry-tracing';
/**
 * Runs that began with this marker are traced only when their start carried a trace
 * context (a client that traces started them, or a traced run continued as new or
 * started them as children). The interceptors cost about 15% of a workflow thread's
 * CPU even when no span leaves the worker, so a run nobody traces does without them.
 */
export const TRACE_WHEN_ASKED_PATCH = 'opentelemetry-tracing-when-asked';

/** Whether this run is traced, decided once at its start (and replayed the same way). */
function tracedRun(input: WorkflowExecuteInput): boolean {
  if (patched(TRACE_WHEN_ASKED_PATCH)) return input.headers[TRACE_HEADER] !== undefined;
  return patched(TRACING_PATCH);
}

type Method = (input: unknown, next: (input: unknown) => unknown) => unknown;

/** Each of `names`, calling `interceptor()`'s method when the run is traced and straight through to `next` otherwise. */
function whenTraced<T extends object>(names: readonly (keyof T & string)[], interceptor: () => T | undefined): T {
  const gated: Record<string, Method> = {};
  for (const name of names) {
    gated[name] = (input, next) => {
      const target = interceptor();
      return target ? (target[name] as Method).call(target, input, next) : next(input);
    };
  }
  return gated as T;
}

const INBOUND = ['handleSignal', 'handleUpdate', 'validateUpdate', 'handleQuery'] as const;
const OUTBOUND = ['scheduleActivity', 'scheduleLocalActivity', 'startNexusOperation', 'startChildWorkflowExecution', 'continueAsNew', 'signalWorkflow', 'getLogAttributes', 'getMetricTags'] as const;

export const interceptors = (): WorkflowInterceptors => {
  let otel: { inbound: OtelWorkflow.OpenTelemetryInboundInterceptor; outbound: OtelWorkflow.OpenTelemetryOutboundInterceptor; internals: OtelWorkflow.OpenTelemetryInternalsInterceptor } | undefined;
  const inbound: WorkflowInboundCallsInterceptor = {
    ...whenTraced<WorkflowInboundCallsInterceptor>(INBOUND, () => otel?.inbound),
    execute(input, next) {
      if (tracedRun(input)) {
        const m = otelWorkflowModule();
        otel = { inbound: new m.OpenTelemetryInboundInterceptor(), outbound: new m.OpenTelemetryOutboundInterceptor(), internals: new m.OpenTelemetryInternalsInterceptor() };
      }
      return otel ? otel.inbound.execute(input, next) : next(input);
    },
  };
  return {
    inbound: [inbound],
    outbound: [whenTraced<WorkflowOutboundCallsInterceptor>(OUTBOUND, () => otel?.outbound)],
    internals: [{ dispose: (input, next) => (otel ? otel.internals.dispose(input, next) : next(input)) }],
  };
};
