// The HTTP API of one simulated host (one fastify instance per boot, on the host's port).
import type { Readable } from 'node:stream';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
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

export function buildHostApi(host: SimHost): FastifyInstance {
  const app = Fastify({ logger: false, forceCloseConnections: true });

  // The image arrives as a stream; the stage handler hashes and writes it chunk by chunk.
  app.addContentTypeParser('application/octet-stream', (_request, payload, done) => done(null, payload));

  app.addHook('onRequest', async (request, reply) => {
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

  app.get('/state', () => host.state());

  const stage = async (request: { query: unknown; body: unknown; headers: Record<string, unknown>; raw: { socket: { destroy(): void } } }, reply: FastifyReply) => {
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

  app.post('/reboot', (_request, reply) => {
    host.assertCanReboot();
    return rebootAfterAnswer(host, reply, false);
  });
  app.post('/commit', (request) => host.commit(parse(commitRequestSchema, request.body, 'body')));
  app.post('/abandon-stage', () => host.abandonStage());
  app.post('/rollback', async (_request, reply) => {
    await host.assertCanRollBack();
    return rebootAfterAnswer(host, reply, true);
  });
  app.post('/maintenance-mode', (request) => host.setMaintenanceMode(parse(maintenanceModeRequestSchema, request.body, 'body')));
  app.get('/health', () => host.health());
  app.get('/boot-log', async (request) => ({ boots: await host.bootLog(parse(bootLogQuerySchema, request.query, 'query').limit) }));
  return app;
}
