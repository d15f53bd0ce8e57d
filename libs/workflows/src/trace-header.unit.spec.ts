import { TRACE_HEADER as SDK_TRACE_HEADER } from '@temporalio/interceptors-opentelemetry/lib/instrumentation.js';
import { expect, it } from 'vitest';
import { TRACE_HEADER } from './trace-header';

it("names the header Temporal's OpenTelemetry interceptors carry a trace context in", () => {
  expect(TRACE_HEADER).toBe(SDK_TRACE_HEADER);
});
