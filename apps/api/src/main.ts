// `tsx apps/api/src/main.ts`: the HTTP API. Env: DATABASE_URL, TEMPORAL_ADDRESS,
// BANKSWITCH_TASK_QUEUE, BANKSWITCH_API_HOST (127.0.0.1), BANKSWITCH_API_PORT (8080; 0
// picks a free port), BANKSWITCH_API_BODY_LIMIT (bytes, default 1 MiB), BANKSWITCH_API_LOG=1
// (log every request), OTEL_EXPORTER_OTLP_ENDPOINT (traces, docs/observability.md). Tokens
// are in the database: `bankswitch tokens create`.
import { appConfigFromEnv, openBankswitchApp, startTracing } from '@bankswitch/app';
import { buildApiServer } from './server';

const bodyLimit = process.env.BANKSWITCH_API_BODY_LIMIT ? Number(process.env.BANKSWITCH_API_BODY_LIMIT) : undefined;
if (bodyLimit !== undefined && !(Number.isInteger(bodyLimit) && bodyLimit > 0)) {
  console.error(`bankswitch api: BANKSWITCH_API_BODY_LIMIT must be a number of bytes, e.g. 1048576; it is "${process.env.BANKSWITCH_API_BODY_LIMIT}"`);
  process.exit(2);
}
// Campaigns launched here start their traces: the worker continues them (docs/observability.md).
const tracing = await startTracing({ serviceName: 'bankswitch-api' });
const opened = await openBankswitchApp(appConfigFromEnv(), { workflowInterceptors: tracing.workflowClientInterceptors });
const server = await buildApiServer({ app: opened.app, authenticate: opened.authenticate, probes: opened.probes, logger: process.env.BANKSWITCH_API_LOG === '1', bodyLimit, processMetrics: true });
const address = await server.listen({ host: process.env.BANKSWITCH_API_HOST ?? '127.0.0.1', port: Number(process.env.BANKSWITCH_API_PORT ?? 8080) });
console.log(`bankswitch api: listening on ${address} (OpenAPI ${address}/openapi.json, docs ${address}/docs)`);
console.log(`bankswitch api: health ${address}/healthz, ${address}/readyz, metrics ${address}/metrics; ${tracing.enabled ? `traces to ${tracing.destination}` : 'traces off (OTEL_EXPORTER_OTLP_ENDPOINT)'}`);

const stop = async () => {
  await server.close();
  await opened.close();
  await tracing.shutdown().catch(() => {});
  console.log('bankswitch api: stopped');
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
