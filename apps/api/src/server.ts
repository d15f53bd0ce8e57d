// The HTTP API: the application layer's operations behind bearer-token auth, with the
// OpenAPI document at /openapi.json and Swagger UI at /docs.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { isAppError, type AppErrorKind, type BankswitchApp } from '@bankswitch/app';
import { authenticate, type Principal } from './auth';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /** No token needed (the OpenAPI document, the docs, health). */
    public?: boolean;
    /** Changes something: operators only. */
    act?: boolean;
  }
}

const STATUS: Record<AppErrorKind, number> = { 'invalid-input': 400, 'not-found': 404, conflict: 409, unavailable: 503 };

const idParam = (name: string, description: string) => ({ type: 'object', required: [name], properties: { [name]: { type: 'string', description } } }) as const;
const anyObject = { type: 'object', additionalProperties: true } as const;
const errorBody = { type: 'object', properties: { error: { type: 'string' }, message: { type: 'string' }, details: { type: 'array', items: anyObject } } } as const;
const responses = (ok: string) => ({
  200: { description: ok, ...anyObject },
  400: { description: 'invalid input (every problem in details, with its path)', ...errorBody },
  401: { description: 'missing or unknown bearer token', ...errorBody },
  403: { description: 'auditors may only read', ...errorBody },
  404: { description: 'no such host or campaign', ...errorBody },
  409: { description: 'refused in the current state (the text says why and what to do)', ...errorBody },
});
const actionBody = { type: 'object', properties: { reason: { type: 'string' } }, additionalProperties: false } as const;
const specBody = {
  type: 'object',
  required: ['spec'],
  additionalProperties: false,
  properties: {
    spec: { type: 'string', description: 'the campaign spec text, YAML or JSON' },
    specDir: { type: 'string', description: 'folder a relative target.payload is resolved from (default: the API process folder)' },
  },
} as const;

export interface ApiOptions {
  readonly app: BankswitchApp;
  readonly tokens: ReadonlyMap<string, Principal>;
  readonly logger?: boolean;
}

export async function buildApiServer(options: ApiOptions): Promise<FastifyInstance> {
  const { app, tokens } = options;
  const server = Fastify({ logger: options.logger ?? false });
  await server.register(swagger, {
    openapi: {
      info: { title: 'Bankswitch API', version: '0.1.0', description: 'A/B boot-bank upgrade campaigns. Operators act; auditors read.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await server.register(swaggerUi, { routePrefix: '/docs' });

  server.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const config = request.routeOptions.config;
    if (config.public || request.url.startsWith('/docs')) return;
    const principal = authenticate(tokens, request.headers.authorization);
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
  server.setErrorHandler((error, _request, reply) => {
    if (isAppError(error)) return reply.code(STATUS[error.kind]).send({ error: error.kind, message: error.message, details: error.details });
    const e = error as { validation?: unknown; statusCode?: number; message: string };
    if (e.validation || (e.statusCode && e.statusCode < 500)) return reply.code(e.statusCode ?? 400).send({ error: 'invalid-input', message: e.message });
    reply.log.error(error);
    return reply.code(500).send({ error: 'internal', message: e.message });
  });

  const by = (request: FastifyRequest) => request.principal!.name;
  type P<T extends string> = { Params: Record<T, string> };

  server.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => server.swagger());
  server.get('/healthz', { config: { public: true }, schema: { hide: true } }, async () => ({ ok: true }));

  server.get(
    '/hosts',
    {
      schema: {
        tags: ['hosts'],
        summary: 'List hosts with their banks, standing and drift',
        querystring: { type: 'object', properties: { cluster: { type: 'string' }, drifted: { type: 'boolean', description: 'only hosts found changed out of band since Bankswitch last acted on them' } } },
        response: responses('hosts'),
      },
    },
    async (request) => {
      const query = request.query as { cluster?: string; drifted?: boolean };
      return { hosts: await app.listHosts({ cluster: query.cluster, drifted: query.drifted }) };
    },
  );
  server.post(
    '/hosts/observe',
    {
      config: { act: true },
      schema: {
        tags: ['hosts'],
        summary: 'Run the drift watch now over every host, a cluster, or the hosts named, and record what changed out of band',
        body: { type: 'object', nullable: true, additionalProperties: false, properties: { hosts: { type: 'array', items: { type: 'string' } }, cluster: { type: 'string' } } },
        response: responses('counts by outcome, and every host not found unchanged'),
      },
    },
    async (request) => {
      const body = (request.body ?? {}) as { hosts?: string[]; cluster?: string };
      return app.observeHosts({ by: by(request), hosts: body.hosts, cluster: body.cluster });
    },
  );
  server.post('/hosts/import', { config: { act: true }, schema: { tags: ['hosts'], summary: 'Import (upsert) an inventory: an array of { id, name, address, cluster, labels?, driver? }', body: { type: 'array', items: anyObject }, response: responses('counts of created, updated and unchanged hosts') } }, async (request) =>
    app.importHosts(request.body),
  );
  server.get<P<'hostId'>>('/hosts/:hostId', { schema: { tags: ['hosts'], summary: 'One host: booted bank, builds, rollback target', params: idParam('hostId', 'host id or name'), response: responses('the host') } }, async (request) => app.showHost(request.params.hostId));
  server.get<P<'hostId'>>('/hosts/:hostId/history', { schema: { tags: ['hosts'], summary: 'Bank timeline with campaign, workflow and operator per change; ?at= the banks at an instant', params: idParam('hostId', 'host id or name'), querystring: { type: 'object', properties: { at: { type: 'string', description: 'ISO 8601 instant' } } }, response: responses('history or state at') } }, async (request) => {
    const at = (request.query as { at?: string }).at;
    return at ? app.hostAt(request.params.hostId, at) : app.hostHistory(request.params.hostId);
  });
  server.post<P<'hostId'>>('/hosts/:hostId/retry', { config: { act: true }, schema: { tags: ['hosts'], summary: 'Retry the host in its last campaign', params: idParam('hostId', 'host id or name'), response: responses('retry') } }, async (request) => app.retryHost(request.params.hostId, { by: by(request) }));
  server.post<P<'hostId'>>('/hosts/:hostId/cancel', { config: { act: true }, schema: { tags: ['hosts'], summary: "Cancel the host's running upgrade", params: idParam('hostId', 'host id or name'), body: { ...actionBody, nullable: true }, response: responses('cancellation requested') } }, async (request) =>
    app.cancelHost(request.params.hostId, { by: by(request), reason: (request.body as { reason?: string } | undefined)?.reason }),
  );

  for (const action of ['rollback', 'abandon', 'commit', 'observe'] as const) {
    server.post<P<'hostId'>>(
      `/hosts/:hostId/${action}`,
      {
        config: { act: true },
        schema: {
          tags: ['hosts'],
          summary: `${action[0]!.toUpperCase()}${action.slice(1)} the host (operator action, recorded with who and why); 409 when the banks do not allow it or another operation holds the host`,
          params: idParam('hostId', 'host id or name'),
          body: { ...actionBody, nullable: true },
          response: responses('the end state the action left the host in'),
        },
      },
      async (request) => app.hostAction(request.params.hostId, action, { by: by(request), reason: (request.body as { reason?: string } | undefined)?.reason }),
    );
  }

  server.post('/campaigns/plan', { schema: { tags: ['campaigns'], summary: 'Validate a spec and plan it (every error with its path)', body: specBody, response: responses('the plan') } }, async (request) => {
    const { campaignId, plan, text } = await app.planCampaign((request.body as { spec: string }).spec);
    return { campaignId, plan, text };
  });
  server.post('/campaigns', { config: { act: true }, schema: { tags: ['campaigns'], summary: 'Launch a campaign (idempotent by spec name)', body: specBody, response: { ...responses('started or already running'), 201: { description: 'started', ...anyObject } } } }, async (request, reply) => {
    const body = request.body as { spec: string; specDir?: string };
    const { plan, ...result } = await app.launchCampaign(body.spec, { by: by(request), specDir: body.specDir });
    return reply.code(result.outcome === 'started' ? 201 : 200).send({ ...result, plan: plan?.text });
  });
  server.get('/campaigns', { schema: { tags: ['campaigns'], summary: 'Campaigns, newest first', response: responses('campaigns') } }, async () => ({ campaigns: await app.listCampaigns() }));
  server.get<P<'campaignId'>>('/campaigns/:campaignId', { schema: { tags: ['campaigns'], summary: 'Progress while running, final state once ended', params: idParam('campaignId', 'campaign id'), response: responses('status') } }, async (request) => app.campaignStatus(request.params.campaignId));
  for (const action of ['pause', 'resume', 'approve', 'cancel'] as const) {
    server.post<P<'campaignId'>>(`/campaigns/:campaignId/${action}`, { config: { act: true }, schema: { tags: ['campaigns'], summary: `${action[0]!.toUpperCase()}${action.slice(1)} a running campaign`, params: idParam('campaignId', 'campaign id'), body: { ...actionBody, nullable: true }, response: responses('progress after the update') } }, async (request) => {
      const options = { by: by(request), reason: (request.body as { reason?: string } | undefined)?.reason };
      const call = { pause: app.pauseCampaign, resume: app.resumeCampaign, approve: app.approveCampaign, cancel: app.cancelCampaign }[action];
      return call(request.params.campaignId, options);
    });
  }
  server.post<P<'campaignId'>>('/campaigns/:campaignId/retry', { config: { act: true }, schema: { tags: ['campaigns'], summary: 'Retry failed hosts (requeue while running, a retry run once ended)', params: idParam('campaignId', 'campaign id'), body: { type: 'object', nullable: true, additionalProperties: false, properties: { hostIds: { type: 'array', items: { type: 'string' } } } }, response: responses('retry') } }, async (request) =>
    app.retryCampaign(request.params.campaignId, { by: by(request), hostIds: (request.body as { hostIds?: string[] } | undefined)?.hostIds }),
  );
  return server;
}
