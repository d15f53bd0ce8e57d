// Workflow interceptors the worker bundles beside the workflows (not a workflow): the
// OpenTelemetry interceptors of @temporalio/interceptors-opentelemetry, for workflow runs
// that began with them only. Their spans wrap each activity, child workflow and update
// in a few more awaits, which moves where a workflow's later commands fall when an
// activity's result and an update arrive together: a run that began without them must
// go on without them, or its replay would not match its history. The patch marker
// recorded at the start of a new run says which runs are traced; a run that began
// without one replays, and continues, untraced. Keep this module in the bundle for as
// long as runs with the marker may be running (docs/observability.md).
import {
  OpenTelemetryInboundInterceptor,
  OpenTelemetryInternalsInterceptor,
  OpenTelemetryOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/workflow';
import { patched, type WorkflowInboundCallsInterceptor, type WorkflowInterceptors, type WorkflowOutboundCallsInterceptor } from '@temporalio/workflow';

export const TRACING_PATCH = 'opentelemetry-tracing';

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
  let otel: { inbound: OpenTelemetryInboundInterceptor; outbound: OpenTelemetryOutboundInterceptor } | undefined;
  const inbound: WorkflowInboundCallsInterceptor = {
    ...whenTraced<WorkflowInboundCallsInterceptor>(INBOUND, () => otel?.inbound),
    execute(input, next) {
      if (patched(TRACING_PATCH)) otel = { inbound: new OpenTelemetryInboundInterceptor(), outbound: new OpenTelemetryOutboundInterceptor() };
      return otel ? otel.inbound.execute(input, next) : next(input);
    },
  };
  return {
    inbound: [inbound],
    outbound: [whenTraced<WorkflowOutboundCallsInterceptor>(OUTBOUND, () => otel?.outbound)],
    internals: [new OpenTelemetryInternalsInterceptor()],
  };
};
