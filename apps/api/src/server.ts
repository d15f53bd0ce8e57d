// The HTTP API: the application layer's operations behind bearer-token auth, with the
// OpenAPI document at /openapi.json and Swagger UI at /docs.
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { AppProbes, BankswitchApp } from '@bankswitch/app';
import type { DestinationStream } from 'pino';
import { apiErrorHandler } from './errors';
import { createApiLog } from './logging';
import { observabilityRoutes } from './observability';
import { applicationRoutes } from './routes/index';
import { openApiTransform } from './zod';
import { bearerToken, SignInThrottle, type Authenticate, type Principal } from './auth';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /** No token needed (the OpenAPI document, the docs, health): set where the route is declared, never from the request's URL. */
    public?: boolean;
    /** Changes something: operators only. */
    act?: boolean;
  }
}

/** The largest request body taken unless told otherwise: an inventory of thousands of hosts fits. */
export const DEFAULT_BODY_LIMIT = 1_048_576;

export interface ApiOptions {
  readonly app: BankswitchApp;
  /** Who a bearer token speaks for (OpenApp.authenticate: tokens stored hashed in the database). */
  readonly authenticate: Authenticate;
  /** Failed sign-ins are answered ever more slowly per address (default: from 100 ms doubling to 5 s). */
  readonly signInThrottle?: SignInThrottle;
  /** Log every request (BANKSWITCH_API_LOG=1); internal errors are logged either way. */
  readonly logger?: boolean;
  /** The largest request body taken, in bytes (default DEFAULT_BODY_LIMIT, 1 MiB); larger ones get 413. */
  readonly bodyLimit?: number;
  /** Where the API log goes (default stderr). */
  readonly logDestination?: DestinationStream;
  /** /readyz and the read model's gauges of /metrics read these (OpenApp.probes); without, there is no /readyz and /metrics counts requests only. */
  readonly probes?: AppProbes;
  /** /metrics shows Node's process metrics too (once per process: main.ts). */
  readonly processMetrics?: boolean;
}

export async function buildApiServer(options: ApiOptions): Promise<FastifyInstance> {
  const { app } = options;
  const throttle = options.signInThrottle ?? new SignInThrottle();
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const log = createApiLog(options.logDestination);
  // A host is named by up to 253 characters (a DNS name): path parameters longer than
  // Fastify's default of 100 must reach the route, whose schema bounds them with a message.
  const limits = { bodyLimit, maxParamLength: 1_024 };
  const server: FastifyInstance = options.logger ? Fastify({ loggerInstance: log as FastifyBaseLogger, ...limits }) : Fastify(limits);
  // Bodies are JSON only: a spec sent as text/plain gets 415 saying what to send instead.
  server.removeContentTypeParser('text/plain');
  await server.register(swagger, {
    openapi: {
      info: { title: 'Bankswitch API', version: '0.1.0', description: 'A/B boot-bank upgrade campaigns. Operators act; auditors read.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: openApiTransform,
  });
  // Swagger UI's own routes are public, marked so as they are declared: which routes need
  // no token is decided by the route matched, never by the text of the request's URL.
  server.addHook('onRoute', (route) => {
    if (route.prefix === '/docs') route.config = { ...(route.config ?? {}), public: true };
  });
  await server.register(swaggerUi, { routePrefix: '/docs' });

  server.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const config = request.routeOptions.config;
    if (config.public) return;
    const token = bearerToken(request.headers.authorization);
    const principal = token ? await options.authenticate(token) : undefined;
    if (principal) throttle.succeeded(request.ip);
    else if (token) await new Promise((resolve) => setTimeout(resolve, throttle.failed(request.ip)));
    if (!principal) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({ error: 'unauthorized', message: request.headers.authorization ? 'unknown token: check the token you were given' : 'missing token: send Authorization: Bearer <token>' });
    }
    request.principal = principal;
    if (config.act && principal.role !== 'operator') {
      return reply.code(403).send({ error: 'forbidden', message: `${principal.name} is an auditor: auditors may read but not act; ask an operator` });
    }
  });
  server.setErrorHandler(apiErrorHandler({ log, requestLog: !!options.logger, bodyLimit }));

  server.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => server.swagger());
  server.get('/healthz', { config: { public: true }, schema: { hide: true } }, async () => ({ ok: true }));
  // /readyz (PostgreSQL and Temporal answer) and /metrics, public and hidden like /healthz (observability.ts).
  await observabilityRoutes(server, { probes: options.probes, processMetrics: options.processMetrics });

  // Hosts, host actions, campaigns and tokens: zod schemas for what they take and answer (routes/).
  await server.register(applicationRoutes(app));
  await server.register(import('./web'), { app, log }); // the web dashboard at /, its live stream and timeline (web.ts)
  return server;
}
