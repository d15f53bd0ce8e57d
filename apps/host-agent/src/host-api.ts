// The HTTP API of the simulated hosts: one Fastify app per agent process, and per host and
// boot a bare HTTP listener on the host's own port that hands its requests to that app.
// A Fastify instance takes ~220 KB; a listener ~1 KB (measured with 2,000 of each): an
// agent process holding thousands of hosts stays small. The app tells the hosts apart by
// the listener a request came through.
import http, { type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { HOST_ID_HEADER, commitRequestSchema, maintenanceModeRequestSchema, type RebootAccepted } from '@bankswitch/host-driver';
import { Refusal } from './refusal';
import type { SimHost } from './sim-host';

const stageQuerySchema = z.object({
  build: z.string().min(1).regex(/^[^\s=]+$/, 'a build has no spaces or "="'),
  sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'sha256 must be 64 hex digits'),
});
const bootLogQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(20) });

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    const issues = result.error.issues.map((issue) => `${issue.path.join('.') || what}: ${issue.message}`);
    throw new Refusal(400, 'bad-request', `invalid ${what}: ${issues.join('; ')}`);
  }
  return result.data;
}

/** Answers 202, then reboots once the answer has left (so the caller gets it before the port closes). */
function rebootAfterAnswer(host: SimHost, reply: FastifyReply, shiftR: boolean): RebootAccepted {
  const previousBootId = host.summary.bootId ?? '';
  reply.raw.once('finish', () => void host.reboot(shiftR));
  reply.code(202).header('connection', 'close');
  return { previousBootId, shiftR };
}

/** One host's listener for one boot. */
export interface HostListener {
  readonly port: number;
  /** Stops listening and drops every connection, as a host going down does. */
  close(): Promise<void>;
}

/** Serves hosts' APIs: `listen` opens a host's port for one boot. */
export interface HostApi {
  listen(host: SimHost, port: number): Promise<HostListener>;
  close(): Promise<void>;
}

/** Fastify's keep-alive timeout, kept for the bare listeners: a driver reuses its connection between steps. */
const KEEP_ALIVE_TIMEOUT_MS = 72_000;

export function createHostApi(): HostApi {
  const hostOf = new WeakMap<IncomingMessage, SimHost>();
  const app = buildApp((request) => {
    const host = hostOf.get(request.raw);
    if (!host) throw new Error('a request reached the host API through no host listener');
    return host;
  });
  const ready = app.ready();
  return {
    async listen(host, port) {
      await ready;
      const server = http.createServer((request, response) => {
        hostOf.set(request, host);
        app.routing(request, response);
      });
      server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
      // As Fastify's own server: no limit on a request's time (an image upload can be long).
      server.requestTimeout = 0;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
      return {
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      };
    },
    close: () => app.close(),
  };
}

function buildApp(hostOf: (request: FastifyRequest) => SimHost) {
  const app = Fastify({ logger: false });

  // The image arrives as a stream; the stage handler hashes and writes it chunk by chunk.
  app.addContentTypeParser('application/octet-stream', (_request, payload, done) => done(null, payload));

  app.addHook('onRequest', async (request, reply) => {
    const host = hostOf(request);
    if (host.takeDrop()) {
      reply.hijack();
      request.raw.socket.destroy();
      return reply;
    }
    reply.header(HOST_ID_HEADER, host.id);
    return undefined;
  });

  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof Refusal) return reply.code(error.status).send({ error: error.code, message: error.message });
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      return reply.code(status).send({ error: 'bad-request', message: (error as Error).message });
    }
    return reply.code(500).send({ error: 'internal', message: (error as Error).message });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: 'not-found', message: `no route ${request.method} ${request.url}` }),
  );

  app.get('/state', (request) => hostOf(request).state());

  const stage = async (request: FastifyRequest, reply: FastifyReply) => {
    const host = hostOf(request);
    const query = parse(stageQuerySchema, request.query, 'query');
    if (!request.body || typeof (request.body as Readable).pipe !== 'function') {
      throw new Refusal(415, 'unsupported-media-type', 'send the image as the body, content-type application/octet-stream');
    }
    const length = Number(request.headers['content-length']);
    const result = await host.stage(query, request.body as Readable, Number.isFinite(length) ? length : undefined, () =>
      request.raw.socket.destroy(),
    );
    if (result === 'dropped') {
      reply.hijack();
      return reply;
    }
    return result;
  };
  app.put('/stage', stage);
  app.post('/stage', stage);

  app.post('/reboot', (request, reply) => {
    const host = hostOf(request);
    host.assertCanReboot();
    return rebootAfterAnswer(host, reply, false);
  });
  app.post('/commit', (request) => hostOf(request).commit(parse(commitRequestSchema, request.body, 'body')));
  app.post('/abandon-stage', (request) => hostOf(request).abandonStage());
  app.post('/rollback', async (request, reply) => {
    const host = hostOf(request);
    await host.assertCanRollBack();
    return rebootAfterAnswer(host, reply, true);
  });
  app.post('/maintenance-mode', (request) => hostOf(request).setMaintenanceMode(parse(maintenanceModeRequestSchema, request.body, 'body')));
  app.get('/health', (request) => hostOf(request).health());
  app.get('/boot-log', async (request) => ({ boots: await hostOf(request).bootLog(parse(bootLogQuerySchema, request.query, 'query').limit) }));
  return app;
}
