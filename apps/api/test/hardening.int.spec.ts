// The API against what it must never do: echo an internal error, log a token, take an
// unbounded body or answer with a whole invalid input; and its OpenAPI document, which
// must show real shapes and list every route, each of which needs a token and, when it
// changes something, an operator's. Against the real database; no worker is needed.
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appConfigFromEnv, openBankswitchApp, type BankswitchApp, type OpenApp } from '@bankswitch/app';
import { createPrismaClient, type PrismaClient } from '@bankswitch/event-store';
import { buildApiServer, type ApiOptions } from '../src/index';

const run = Date.now().toString(36);
const cluster = `hard-${run}`;
const SHA = 'ab'.repeat(32);
const BUILD = '8.0.3-0.0.24022510';

let opened: OpenApp;
let prisma: PrismaClient;
let server: FastifyInstance;
let opToken: string;
let OP: { authorization: string };
let AUDIT: { authorization: string };

/** A log destination the test reads. */
function capturedLog() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { destination, text: () => lines.join('') };
}

/** One place that knows how the API is built (the tokens' side of it is the auth work's). */
const build = (options: Partial<ApiOptions> = {}) => buildApiServer({ app: opened.app, authenticate: opened.authenticate, ...options });

const spec = (hosts: string) => `name: hard-${run}\ntarget: { build: ${BUILD}, payload: /images/esxi.zip, sha256: ${SHA} }\nhosts: ${hosts}\nstrategy: { canary: 1, waves: ['100%'] }\n`;

beforeAll(async () => {
  opened = await openBankswitchApp(appConfigFromEnv());
  prisma = createPrismaClient(process.env.DATABASE_URL!);
  opToken = (await opened.app.createToken({ name: `hard-op-${run}`, role: 'operator', by: 'hardening-test' })).token;
  OP = { authorization: `Bearer ${opToken}` };
  AUDIT = { authorization: `Bearer ${(await opened.app.createToken({ name: `hard-audit-${run}`, role: 'auditor', by: 'hardening-test' })).token}` };
  server = await build();
  // Planning needs an inventory; this host is removed again afterwards (other files count hosts).
  const imported = await server.inject({ method: 'POST', url: '/hosts/import', headers: OP, payload: [{ id: `${cluster}-esx01`, name: `${cluster}-esx01`, address: 'http://127.0.0.1:9', cluster }] });
  expect(imported.statusCode).toBe(200);
});
afterAll(async () => {
  await prisma?.host.deleteMany({ where: { cluster } });
  await server?.close();
  await prisma?.$disconnect();
  await opened?.close();
});

describe('an internal error', () => {
  const SECRET = 'ECONNRESET reading /var/lib/bankswitch/secret.sock as user=svc password=hunter2';
  const failing = (): BankswitchApp => ({
    ...opened.app,
    listHosts: async () => {
      throw new Error(SECRET);
    },
  });

  it('is answered with an id only, and logged with its detail under that id even with the request log off', async () => {
    const log = capturedLog();
    const api = await build({ app: failing(), logDestination: log.destination });
    try {
      const answer = await api.inject({ method: 'GET', url: '/hosts', headers: AUDIT });
      expect(answer.statusCode).toBe(500);
      const body = answer.json();
      expect(Object.keys(body).sort()).toEqual(['error', 'errorId', 'message']);
      expect(body).toEqual({ error: 'internal', errorId: expect.stringMatching(/^[0-9a-f]{12}$/), message: `internal error ${body.errorId}: the detail is in the API log under this id` });
      expect(answer.body).not.toMatch(/hunter2|secret\.sock|ECONNRESET/);
      const logged = log.text().split('\n').filter(Boolean).map((line) => JSON.parse(line) as { errorId?: string; err?: { message: string; stack: string } });
      const entry = logged.find((line) => line.errorId === body.errorId);
      expect(entry?.err?.message).toBe(SECRET);
      expect(entry?.err?.stack).toContain('hardening.int.spec.ts');
    } finally {
      await api.close();
    }
  });

  it('is logged through the request log, with the request id, when that is on', async () => {
    const log = capturedLog();
    const api = await build({ app: failing(), logDestination: log.destination, logger: true });
    try {
      const { errorId } = (await api.inject({ method: 'GET', url: '/hosts', headers: AUDIT })).json();
      const entry = log
        .text()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { errorId?: string; reqId?: string; err?: { message: string } })
        .find((line) => line.errorId === errorId);
      expect(entry).toMatchObject({ reqId: expect.any(String), err: { message: SECRET } });
    } finally {
      await api.close();
    }
  });
});

describe('the request log', () => {
  it('never holds a token or a piece of one: the authorization header is redacted, and so is a token in a query string', async () => {
    const log = capturedLog();
    const api = await build({ logDestination: log.destination, logger: true });
    const guess = `bsw_${'Q'.repeat(20)}guessed${'Z'.repeat(16)}`;
    try {
      expect((await api.inject({ method: 'GET', url: '/hosts', headers: OP })).statusCode).toBe(200);
      expect((await api.inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${guess}` } })).statusCode).toBe(401);
      await api.inject({ method: 'GET', url: `/hosts?token=${opToken}&cluster=${cluster}`, headers: OP });
      await api.inject({ method: 'POST', url: '/hosts/import', headers: { ...OP, 'content-type': 'text/plain' }, payload: opToken });
    } finally {
      await api.close();
    }
    const text = log.text();
    expect(text).toContain('"authorization":"[redacted]"');
    expect(text).toContain('token=[redacted]');
    for (const token of [opToken, guess]) {
      const secret = token.slice(4);
      // Any 8 characters in a row of the secret part.
      for (let i = 0; i + 8 <= secret.length; i += 4) expect(text, `token piece ${secret.slice(i, i + 8)} in the log`).not.toContain(secret.slice(i, i + 8));
    }
  });
});

describe('request bodies', () => {
  it('are refused above the limit (1 MiB by default) with the size, the limit and what to do', async () => {
    const hosts = Array.from({ length: 6_000 }, (_, i) => ({ id: `big-${i}`, name: `big-${i}.example.com`, address: 'http://10.0.0.1:8443', cluster: 'big', labels: { rack: 'r'.repeat(100) } }));
    const answer = await server.inject({ method: 'POST', url: '/hosts/import', headers: OP, payload: hosts });
    const size = Buffer.byteLength(JSON.stringify(hosts));
    expect(size).toBeGreaterThan(1_048_576);
    expect(answer.statusCode).toBe(413);
    expect(answer.json()).toEqual({
      error: 'payload-too-large',
      message: `the body is ${size.toLocaleString('en-US')} bytes; the limit is 1,048,576 bytes: split the inventory or the spec into smaller ones and send each`,
    });
  });

  it('take their limit from ApiOptions.bodyLimit', async () => {
    const api = await build({ bodyLimit: 1_024 });
    try {
      const answer = await api.inject({ method: 'POST', url: '/campaigns/plan', headers: AUDIT, payload: { spec: 'x'.repeat(2_000) } });
      expect(answer.statusCode).toBe(413);
      expect(answer.json().message).toMatch(/; the limit is 1,024 bytes: split/);
    } finally {
      await api.close();
    }
  });

  it('must be JSON: text/plain gets 415 saying what to send', async () => {
    const answer = await server.inject({ method: 'POST', url: '/campaigns/plan', headers: { ...AUDIT, 'content-type': 'text/plain' }, payload: spec(`{ clusters: [${cluster}] }`) });
    expect(answer.statusCode).toBe(415);
    expect(answer.json()).toEqual({
      error: 'unsupported-media-type',
      message: 'the body is text/plain: send JSON, with Content-Type: application/json (a campaign spec goes as { "spec": "<its YAML or JSON text>" })',
    });
  });

  it('that do not fit the route are refused with each problem at its path', async () => {
    const answer = await server.inject({ method: 'POST', url: '/campaigns/plan', headers: AUDIT, payload: { text: 'name: x' } });
    expect(answer.statusCode).toBe(400);
    expect(answer.json()).toMatchObject({ error: 'invalid-input', details: [{ path: 'spec', message: 'is required' }, { path: 'text', message: 'unknown field' }] });
    const long = await server.inject({ method: 'POST', url: `/hosts/${'h'.repeat(300)}/rollback`, headers: OP });
    expect(long.statusCode).toBe(400);
    expect(long.json().details).toEqual([{ path: 'hostId', message: 'at most 253 characters' }]);
    const at = await server.inject({ method: 'GET', url: `/hosts/${cluster}-esx01/history?at=${'9'.repeat(5_000)}`, headers: AUDIT });
    expect(at.statusCode).toBe(400);
    expect(at.json().details).toEqual([{ path: 'at', message: 'at most 64 characters' }]);
    expect(at.body).not.toContain('9'.repeat(100));
  });
});

describe('a refusal of a large invalid input', () => {
  const small = (answer: { statusCode: number; body: string; json: () => unknown }) => {
    expect(answer.statusCode).toBe(400);
    expect(Buffer.byteLength(answer.body)).toBeLessThan(20_000);
    return answer.json() as { message: string; details: { path: string; message: string }[] };
  };

  it('lists the first 20 problems of an inventory of 3,000 invalid hosts, then how many more', async () => {
    const hosts = Array.from({ length: 3_000 }, (_, i) => ({ id: `bad id ${i}`, name: `bad-${i}`, address: 'not a url', cluster: 'c'.repeat(200) }));
    const body = small(await server.inject({ method: 'POST', url: '/hosts/import', headers: OP, payload: hosts }));
    expect(body.message).toBe('the inventory has 9,000 problems; fix them and import again');
    expect(body.details).toHaveLength(21);
    expect(body.details[0]).toEqual({ path: '[0].id', message: 'expected letters, digits, ".", "_" or "-"' });
    expect(body.details[20]).toEqual({ path: '', message: 'and 8,980 more problems, not listed: fix these first, then try again' });
  });

  it('lists the first 20 of 3,000 unknown host names in a spec, then how many more', async () => {
    const names = Array.from({ length: 3_000 }, (_, i) => `nosuch-${run}-${i}`);
    const body = small(await server.inject({ method: 'POST', url: '/campaigns/plan', headers: AUDIT, payload: { spec: spec(`{ names: [${names.join(', ')}] }`) } }));
    expect(body.message).toMatch(/^the campaign cannot be planned against the inventory \(3,000 problems\):\nhosts\.names\[0\]: no host named "nosuch-/);
    expect(body.message).toMatch(/\nand 2,980 more problems, not listed: fix these first, then try again$/);
    expect(body.details).toHaveLength(21);
    expect(body.details[20]!.message).toMatch(/^and 2,980 more problems/);
  });
});

describe('the OpenAPI document', () => {
  type Doc = { paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema: Schema }> }> }>> };
  type Schema = { type?: string; properties?: Record<string, Schema>; items?: Schema; anyOf?: Schema[]; additionalProperties?: unknown };
  let doc: Doc;
  beforeAll(async () => {
    doc = (await server.inject({ method: 'GET', url: '/openapi.json' })).json();
  });
  const answer = (path: string, method: string, status = '200') => doc.paths[path]?.[method]?.responses?.[status]?.content?.['application/json']?.schema;

  it('shows the real shape of what each host and campaign route answers, not "any object"', () => {
    expect(answer('/hosts', 'get')?.properties?.hosts?.items?.properties?.id).toEqual({ type: 'string' });
    expect(answer('/hosts/{hostId}', 'get')?.properties?.banks).toBeDefined();
    expect(answer('/campaigns/{campaignId}', 'get')?.properties?.progress?.properties?.hosts?.items?.properties?.status).toBeDefined();
    expect(answer('/campaigns', 'post', '201')?.properties?.plan?.properties?.plan?.properties?.waves).toBeDefined();
    for (const [path, methods] of Object.entries(doc.paths)) {
      if (!/^\/(hosts|campaigns)(\/|$)/.test(path)) continue;
      for (const [method, operation] of Object.entries(methods)) {
        const ok = operation.responses?.['200'] ?? operation.responses?.['201'];
        const schema = ok?.content?.['application/json']?.schema;
        if (!schema) continue; // answers that are not JSON documents (a live stream)
        expect(schema.properties ?? schema.anyOf, `${method.toUpperCase()} ${path} answers "any object"`).toBeDefined();
      }
    }
  });

  it('answers exactly what the application returns: the serializer drops no field', async () => {
    const text = spec(`{ clusters: [${cluster}] }`);
    const planned = await server.inject({ method: 'POST', url: '/campaigns/plan', headers: AUDIT, payload: { spec: text } });
    expect(planned.statusCode).toBe(200);
    expect(planned.json()).toEqual(JSON.parse(JSON.stringify(await opened.app.planCampaign(text))));
    const listed = (await server.inject({ method: 'GET', url: `/hosts?cluster=${cluster}`, headers: AUDIT })).json();
    expect(listed).toEqual(JSON.parse(JSON.stringify({ hosts: await opened.app.listHosts({ cluster }) })));
  });
});

describe('every route', () => {
  /** POSTs that only read: any role may send them. */
  const READ_ONLY = new Set(['POST /campaigns/plan']);
  const PUBLIC = new Set(['/openapi.json', '/healthz', '/docs']);
  let routes: { method: string; path: string }[];
  beforeAll(async () => {
    const doc = (await server.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    routes = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })));
  });
  const url = (path: string) => path.replace(/\{[^}]+\}/g, 'x');

  it('that changes something refuses an auditor (403), so that a new one cannot be left open by forgetting config: { act: true }', async () => {
    const changing = routes.filter((r) => r.method !== 'GET' && !READ_ONLY.has(`${r.method} ${r.path}`));
    expect(changing.length).toBeGreaterThan(15);
    for (const route of changing) {
      const answer = await server.inject({ method: route.method as 'POST', url: url(route.path), headers: AUDIT });
      expect(answer.statusCode, `${route.method} ${route.path} let an auditor through`).toBe(403);
    }
  });

  it('that reads refuses a request without a token (401), except the public ones', async () => {
    const reading = routes.filter((r) => r.method === 'GET' && !PUBLIC.has(r.path));
    expect(reading.length).toBeGreaterThan(5);
    for (const route of reading) {
      const answer = await server.inject({ method: 'GET', url: url(route.path) });
      expect(answer.statusCode, `GET ${route.path} answered without a token`).toBe(401);
    }
  });

  it('that changes something is in the OpenAPI document, so the two checks above see it', () => {
    // Fastify's router as a tree: each level indents by 4 characters.
    const documented = new Set(routes.map((r) => `${r.method} ${r.path.replace(/\{([^}]+)\}/g, ':$1')}`));
    const missing: string[] = [];
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const stack: string[] = [];
      for (const line of server.printRoutes({ method: method as 'POST', commonPrefix: false }).split('\n')) {
        const match = /^([\s│]*)[└├]── (\S+) \(([^)]*)\)/.exec(line);
        if (!match) continue;
        const depth = match[1]!.length / 4;
        stack.length = depth;
        stack.push(match[2]!);
        const path = stack.join('').replace(/\/+/g, '/');
        if (match[3]!.split(', ').includes(method) && !documented.has(`${method} ${path}`)) missing.push(`${method} ${path}`);
      }
    }
    expect(missing, 'routes that change something but are hidden from /openapi.json').toEqual([]);
  });
});
