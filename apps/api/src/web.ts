// The web dashboard (apps/web) on the API's own origin: its build served at `/`, and the
// routes only it needs: a campaign's event timeline, who launched each campaign, and a
// campaign's view streamed live as server-sent events. Registered by server.ts after the
// token check, so every route but the page and its assets needs a bearer token. Nothing
// is built here: without apps/web/dist, `/` says how to build it.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import { isAppError, type BankswitchApp } from '@bankswitch/app';

export interface WebOptions {
  readonly app: BankswitchApp;
  /** The dashboard's build (default apps/web/dist). */
  readonly webDir?: string;
  /** How often a live stream reads the campaign (default 1 s). */
  readonly pollMs?: number;
  /** The API log (logging.ts): where a stream's internal errors are logged under their id, also with request logging off. */
  readonly log?: Logger;
}

export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));
const BUILD_HINT = 'The web dashboard is not built: run `npx nx run @bankswitch/web:build` (it writes apps/web/dist), then reload this page. The API itself works without it.';
// The page runs only its own script and styles, and talks only to this origin.
const PAGE_HEADERS = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};
const HEARTBEAT_MS = 15_000;

type IdParams = { Params: { campaignId: string } };
// JSON Schema (this plugin is outside the API's zod scope): documents the path parameter.
const campaignIdParam = { type: 'object', required: ['campaignId'], properties: { campaignId: { type: 'string', description: 'campaign id' } } } as const;

export default async function webDashboard(server: FastifyInstance, options: WebOptions): Promise<void> {
  const { app } = options;
  const webDir = options.webDir ?? DEFAULT_WEB_DIR;
  const pollMs = options.pollMs ?? 1_000;
  await server.register(fastifyStatic, { root: webDir, serve: false, suppressWarning: true });

  server.get('/', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
    if (!fs.existsSync(path.join(webDir, 'index.html'))) return reply.code(503).type('text/plain; charset=utf-8').send(BUILD_HINT);
    return reply.headers(PAGE_HEADERS).sendFile('index.html', webDir);
  });
  server.get<{ Params: { '*': string } }>('/assets/*', { config: { public: true }, schema: { hide: true } }, async (request, reply) =>
    // Vite names each asset by its content hash: it never changes under its name.
    reply.header('x-content-type-options', 'nosniff').sendFile(path.posix.join('assets', request.params['*']), webDir, { maxAge: '365d', immutable: true }),
  );

  server.get(
    '/campaign-launches',
    { schema: { tags: ['campaigns'], summary: 'Who launched each campaign and when, newest first (the operator recorded with its CampaignLaunched event)' } },
    async () => ({ launches: await app.campaignLaunches() }),
  );
  server.get<IdParams>(
    '/campaigns/:campaignId/timeline',
    { schema: { tags: ['campaigns'], summary: "The campaign's events in order, each with when, who asked for it, and what it says in words", params: campaignIdParam } },
    async (request) => {
      const timeline = await app.campaignTimeline(request.params.campaignId);
      // No events yet: a campaign its workflow knows has an empty story; any other is 404.
      if (timeline.entries.length === 0) await app.campaignStatus(request.params.campaignId);
      return timeline;
    },
  );

  const streams = new Set<LiveStream>();
  server.addHook('preClose', async () => {
    for (const stream of streams) stream.stop();
  });
  server.get<IdParams>(
    '/campaigns/:campaignId/live',
    {
      schema: {
        tags: ['campaigns'],
        summary: 'The campaign live, as server-sent events (text/event-stream)',
        params: campaignIdParam,
        description:
          '`view`: the campaign view (as GET /campaigns/{campaignId}) first and every time it changes; `events`: its timeline entries not sent yet; ' +
          '`problem`: { message } while it cannot be read. Read every second; a comment line every 15 s keeps the connection open. Send the bearer token in the Authorization header (fetch with a streamed body).',
      },
    },
    async (request, reply) => {
      await app.campaignStatus(request.params.campaignId); // 404 before the stream opens
      const stream = new LiveStream(app, request.params.campaignId, reply, pollMs, options.log ?? request.log);
      streams.add(stream);
      try {
        await stream.run();
      } finally {
        streams.delete(stream);
      }
    },
  );
}

/** One client's live stream: reads the campaign every `pollMs`, sends what changed, ends when the client goes away. */
class LiveStream {
  private stopped = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly app: BankswitchApp,
    private readonly campaignId: string,
    private readonly reply: FastifyReply,
    private readonly pollMs: number,
    private readonly log: Pick<Logger, 'warn'>,
  ) {}

  async run(): Promise<void> {
    this.reply.hijack();
    const res = this.reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.on('close', () => this.stop());
    let version = 0;
    let lastView = '';
    let lastProblem = '';
    let lastWrite = Date.now();
    const send = (event: string, data: string) => {
      res.write(`event: ${event}\ndata: ${data}\n\n`);
      lastWrite = Date.now();
    };
    while (!this.stopped) {
      try {
        const timeline = await this.app.campaignTimeline(this.campaignId, { fromVersion: version + 1 });
        const view = JSON.stringify(await this.app.campaignStatus(this.campaignId));
        if (this.stopped) break;
        if (timeline.entries.length > 0) {
          send('events', JSON.stringify(timeline.entries));
          version = timeline.entries[timeline.entries.length - 1]?.version ?? version;
        }
        if (view !== lastView) send('view', view);
        lastView = view;
        lastProblem = '';
      } catch (error) {
        // As for any answer of the API: a refusal in its own words, anything else only by
        // an id its detail is logged under (never an internal message).
        const errorId = randomUUID();
        const message = isAppError(error) ? error.message : `internal error ${errorId}: the detail is in the API log under this id`;
        const same = isAppError(error) ? message : 'internal';
        if (same !== lastProblem && !this.stopped) send('problem', JSON.stringify({ message }));
        lastProblem = same;
        this.log.warn({ err: error, errorId, campaignId: this.campaignId }, 'live campaign stream: read failed');
      }
      if (!this.stopped && Date.now() - lastWrite >= HEARTBEAT_MS) {
        res.write(': still here\n\n');
        lastWrite = Date.now();
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.pollMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    if (!res.writableEnded) res.end();
  }

  stop(): void {
    this.stopped = true;
    this.wake?.();
  }
}
