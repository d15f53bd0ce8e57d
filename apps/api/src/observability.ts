// /readyz and /metrics of the API (docs/observability.md), public like /healthz and, like
// it, out of the OpenAPI document. /metrics: requests by route and status (the route's
// pattern, never the URL a client sent, so no id or token ends up in a label), and the
// read model's gauges, the same as the worker's. Nothing here names a secret.
import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { registerReadModelMetrics, type AppProbes } from '@bankswitch/app';

export interface ObservabilityOptions {
  /** Readiness and the read model's counts (OpenApp.probes): without, no /readyz and no read-model gauges. */
  readonly probes?: AppProbes;
  /** Node's process metrics too (process_*, nodejs_*): once per process (main.ts). */
  readonly processMetrics?: boolean;
}

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export async function observabilityRoutes(server: FastifyInstance, options: ObservabilityOptions = {}): Promise<void> {
  const { probes } = options;
  const registry = new Registry();
  const registers = [registry];
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({ name: 'bankswitch_api_requests_total', help: 'HTTP requests answered, by method, route pattern (or "unmatched") and status code.', labelNames, registers });
  const seconds = new Histogram({ name: 'bankswitch_api_request_seconds', help: 'Time to answer HTTP requests, by method, route pattern and status code.', labelNames, buckets: BUCKETS, registers });
  if (probes) await registerReadModelMetrics(registry, () => probes.fleetCounts(), { onError: (error) => server.log.warn({ err: error }, 'metrics: the read model could not be counted') });

  server.addHook('onResponse', async (request, reply) => {
    const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) };
    requests.inc(labels);
    seconds.observe(labels, reply.elapsedTime / 1000);
  });

  if (probes) {
    server.get('/readyz', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
      const readiness = await probes.readiness();
      if (readiness.ready) return readiness;
      const reason = readiness.checks
        .filter((c) => !c.ok)
        .map((c) => `${c.name}: ${c.detail ?? 'not ready'}`)
        .join('; ');
      return reply.code(503).send({ ...readiness, reason });
    });
  }
  server.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
    return reply.header('content-type', registry.contentType).header('cache-control', 'no-store').send(await registry.metrics());
  });
}
