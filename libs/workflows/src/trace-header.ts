// The start header in which Temporal's OpenTelemetry interceptors carry a trace context
// (TRACE_HEADER of @temporalio/interceptors-opentelemetry, whose module would load
// @opentelemetry/api into every workflow that imports it: trace-header.unit.spec.ts keeps
// the two equal).
export const TRACE_HEADER = '_tracer-data';
