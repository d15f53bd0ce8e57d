// OpenTelemetry traces of the API and the worker: spans go out over OTLP/HTTP when an
// endpoint is configured (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT,
// read by the exporter itself, as are OTEL_EXPORTER_OTLP_HEADERS and OTEL_BSP_*), and
// nothing is recorded when not. The SDK is loaded only then, so that the CLI, which
// imports this library too, does not pay for it.
import type { Tracer } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { WorkflowClientInterceptor } from '@temporalio/client';

export interface Tracing {
  /** Spans are recorded and exported (an endpoint or an exporter was given). */
  readonly enabled: boolean;
  /** Where they go, for the start-up line (no credentials: the URL only). */
  readonly destination: string | null;
  readonly tracer: Tracer;
  /** Receives the spans of workflow code as well (the worker's workflow span sink). */
  readonly spanProcessor: SpanProcessor;
  readonly resource: Resource;
  /** For a Temporal client: its workflow starts, signals and updates as spans, their context passed on in headers. */
  readonly workflowClientInterceptors: WorkflowClientInterceptor[];
  /** Sends what is buffered and stops. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  /** service.name of the spans, unless OTEL_SERVICE_NAME says otherwise. */
  readonly serviceName: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Tests: export here (simply, span by span) instead of OTLP. */
  readonly exporter?: SpanExporter;
}

export function otlpTracesEndpoint(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.OTEL_SDK_DISABLED === 'true' || env.OTEL_TRACES_EXPORTER === 'none') return null;
  const signal = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (signal) return signal;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  return base ? `${base.replace(/\/+$/, '')}/v1/traces` : null;
}

/**
 * Sets up tracing for this process. When enabled, the tracer provider is registered as
 * the global one (with Node's async context and W3C trace context propagation, which
 * Temporal's interceptors use to carry a trace from the client to workflows and activities).
 */
export async function startTracing(options: TracingOptions): Promise<Tracing> {
  const env = options.env ?? process.env;
  const { Resource } = await import('@opentelemetry/resources');
  const resource = new Resource({ 'service.name': env.OTEL_SERVICE_NAME ?? options.serviceName });
  const endpoint = options.exporter ? null : otlpTracesEndpoint(env);
  const api = await import('@opentelemetry/api');
  const base = await import('@opentelemetry/sdk-trace-base');
  if (!options.exporter && !endpoint) {
    return {
      enabled: false,
      destination: null,
      tracer: api.trace.getTracer('bankswitch'),
      spanProcessor: new base.NoopSpanProcessor(),
      resource,
      workflowClientInterceptors: [],
      shutdown: async () => {},
    };
  }
  const { NodeTracerProvider } = await import('@opentelemetry/sdk-trace-node');
  const { OpenTelemetryWorkflowClientInterceptor } = await import('@temporalio/interceptors-opentelemetry/lib/client/index.js');
  let spanProcessor: SpanProcessor;
  if (options.exporter) {
    spanProcessor = new base.SimpleSpanProcessor(options.exporter);
  } else {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    spanProcessor = new base.BatchSpanProcessor(new OTLPTraceExporter());
  }
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  const tracer = provider.getTracer('bankswitch');
  return {
    enabled: true,
    destination: endpoint ? redactUrl(endpoint) : 'the given exporter',
    tracer,
    spanProcessor,
    resource,
    workflowClientInterceptors: [new OpenTelemetryWorkflowClientInterceptor({ tracer })],
    shutdown: () => provider.shutdown(),
  };
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.search = '';
    return u.toString();
  } catch {
    return '(OTLP endpoint)';
  }
}
