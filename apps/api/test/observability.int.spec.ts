// The API's /readyz and /metrics (docs/observability.md): public, out of the OpenAPI
// document, ready only when PostgreSQL and Temporal answer, requests counted by route
// pattern (never by the URL sent), no secret in either.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appConfigFromEnv, openBankswitchApp, type OpenApp } from '@bankswitch/app';
import { freeLoopbackPort } from '../../../tools/src/local-stack/index';
import { buildApiServer } from '../src/index';

let opened: OpenApp;
let server: FastifyInstance;
let token: string;

beforeAll(async () => {
  opened = await openBankswitchApp(appConfigFromEnv());
  server = await buildApiServer({ app: opened.app, authenticate: opened.authenticate, probes: opened.probes });
  token = (await opened.app.createToken({ name: `metrics-${Date.now().toString(36)}`, role: 'auditor', by: 'observability-test' })).token;
});
afterAll(async () => {
  await server?.close();
  await opened?.close();
});

/** One sample's value; undefined when there is none with these labels. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
  }
  return undefined;
}

/** An API over the same stack, but with PostgreSQL or Temporal at a port nobody listens on. */
async function withAway(what: 'DATABASE_URL' | 'TEMPORAL_ADDRESS', test: (api: FastifyInstance, port: number) => Promise<void>) {
  const port = await freeLoopbackPort();
  const value = what === 'DATABASE_URL' ? `postgresql://postgres:secret-password@127.0.0.1:${port}/bankswitch` : `127.0.0.1:${port}`;
  const down = await openBankswitchApp(appConfigFromEnv({ ...process.env, [what]: value }));
  const api = await buildApiServer({ app: down.app, authenticate: down.authenticate, probes: down.probes });
  try {
    await test(api, port);
  } finally {
    await api.close();
    await down.close();
  }
}

describe('/readyz', () => {
  it('answers 200 when PostgreSQL and Temporal answer, without a token', async () => {
    const answer = await server.inject({ method: 'GET', url: '/readyz' });
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({ ready: true, checks: [{ name: 'postgresql', ok: true }, { name: 'temporal', ok: true }] });
  });

  it('answers 503 naming PostgreSQL when it is away, without its password', async () => {
    await withAway('DATABASE_URL', async (api, port) => {
      const answer = await api.inject({ method: 'GET', url: '/readyz' });
      expect(answer.statusCode).toBe(503);
      const detail = `PostgreSQL at 127.0.0.1:${port} is not reachable, so nothing was read or changed; check that it is up (and DATABASE_URL), then try again`;
      expect(answer.json()).toEqual({ ready: false, reason: `postgresql: ${detail}`, checks: [{ name: 'postgresql', ok: false, detail }, { name: 'temporal', ok: true }] });
      expect(answer.body).not.toContain('secret-password');
      // /metrics still answers: the read model's counts are missing, and say so.
      const metrics = await api.inject({ method: 'GET', url: '/metrics' });
      expect(metrics.statusCode).toBe(200);
      expect(sample(metrics.body, 'bankswitch_read_model_up')).toBe(0);
      expect(sample(metrics.body, 'bankswitch_hosts_by_end_state', { state: 'upgraded' })).toBeUndefined();
      expect(metrics.body).not.toContain('secret-password');
    });
  });

  it('answers 503 naming Temporal when it is away', async () => {
    await withAway('TEMPORAL_ADDRESS', async (api) => {
      const answer = await api.inject({ method: 'GET', url: '/readyz' });
      expect(answer.statusCode).toBe(503);
      const body = answer.json();
      expect(body.checks[0]).toEqual({ name: 'postgresql', ok: true });
      expect(body.checks[1]).toMatchObject({ name: 'temporal', ok: false, detail: expect.stringMatching(/^Temporal did not answer/) });
      expect(body.reason).toMatch(/^temporal: Temporal did not answer/);
    });
  }, 20_000);
});

describe('/metrics', () => {
  it('counts requests by route pattern and status, and shows the read model, without a token or an id in it', async () => {
    const auth = { authorization: `Bearer ${token}` };
    expect((await server.inject({ method: 'GET', url: '/hosts', headers: auth })).statusCode).toBe(200);
    expect((await server.inject({ method: 'GET', url: '/hosts' })).statusCode).toBe(401);
    expect((await server.inject({ method: 'GET', url: '/campaigns/no-such-campaign-4711', headers: auth })).statusCode).toBe(404);
    expect((await server.inject({ method: 'GET', url: `/nowhere/at-all?token=${token}` })).statusCode).toBe(401);
    const answer = await server.inject({ method: 'GET', url: '/metrics' });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = answer.body;
    expect(sample(text, 'bankswitch_api_requests_total', { method: 'GET', route: '/hosts', status: '200' })).toBe(1);
    expect(sample(text, 'bankswitch_api_requests_total', { method: 'GET', route: '/hosts', status: '401' })).toBe(1);
    expect(sample(text, 'bankswitch_api_requests_total', { method: 'GET', route: '/campaigns/:campaignId', status: '404' })).toBe(1);
    expect(sample(text, 'bankswitch_api_request_seconds_count', { method: 'GET', route: '/hosts', status: '200' })).toBe(1);
    expect(sample(text, 'bankswitch_api_requests_total', { method: 'GET', route: 'unmatched', status: '401' })).toBe(1);
    for (const state of ['upgraded', 'rolled-back', 'fell-back', 'untouched', 'needs-attention']) expect(sample(text, 'bankswitch_hosts_by_end_state', { state })).toBeGreaterThanOrEqual(0);
    for (const state of ['running', 'paused', 'awaiting-approval', 'halted', 'cancelled', 'completed']) expect(sample(text, 'bankswitch_campaigns_by_state', { state })).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'bankswitch_hosts_in_flight')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'bankswitch_read_model_up')).toBe(1);
    expect(text).not.toContain(token);
    expect(text).not.toContain('no-such-campaign-4711');
    expect(text).not.toContain('nowhere');
  });

  it('counts requests only, and there is no /readyz, when the server is given no probes (an API without its own connections)', async () => {
    const bare = await buildApiServer({ app: opened.app, authenticate: opened.authenticate });
    try {
      expect((await bare.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(401);
      const text = (await bare.inject({ method: 'GET', url: '/metrics' })).body;
      expect(sample(text, 'bankswitch_api_requests_total', { method: 'GET', route: 'unmatched', status: '401' })).toBe(1);
      expect(text).not.toContain('bankswitch_hosts_by_end_state');
    } finally {
      await bare.close();
    }
  });

  it('and /readyz stay out of the OpenAPI document, as /healthz does', async () => {
    const doc = (await server.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).not.toEqual(expect.arrayContaining(['/metrics']));
    expect(Object.keys(doc.paths)).not.toEqual(expect.arrayContaining(['/readyz']));
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/hosts']));
  });
});
