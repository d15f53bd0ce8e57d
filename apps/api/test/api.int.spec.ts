// The HTTP API with each role against the real stack, a worker process and a simulated
// fleet: tokens refused, auditors read but cannot act, the operator's token name lands
// in event metadata, and the OpenAPI document is served.
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appConfigFromEnv, openBankswitchApp } from '@bankswitch/app';
import { createPrismaClient, type PrismaClient } from '@bankswitch/event-store';
import { createBankswitchStore } from '@bankswitch/records';
import { freeLoopbackPort } from '../../../tools/src/local-stack/index';
import { startEngine, type Engine } from '../../../tools/src/demo/engine';
import { buildApiServer } from '../src/index';

let engine: Engine;
let server: FastifyInstance;
let prisma: PrismaClient;
const name = `api-roll-${Date.now().toString(36)}`;
// Token names are never reused, and the database outlives one run: one suffix per run.
const alice = `alice-${Date.now().toString(36)}`;
const bob = `bob-${Date.now().toString(36)}`;
let OP: { authorization: string };
let AUDIT: { authorization: string };

beforeAll(async () => {
  engine = await startEngine({
    databaseUrl: process.env.DATABASE_URL!,
    temporalAddress: process.env.TEMPORAL_ADDRESS!,
    clusters: [{ name: 'apia', hosts: 2 }, { name: 'apib', hosts: 2 }],
    faults: { hosts: { 'apib-esx02': { slowRebootMs: 5_000 } } },
  });
  OP = { authorization: `Bearer ${(await engine.open.app.createToken({ name: alice, role: 'operator', by: 'api-test' })).token}` };
  AUDIT = { authorization: `Bearer ${(await engine.open.app.createToken({ name: bob, role: 'auditor', by: 'api-test' })).token}` };
  server = await buildApiServer({ app: engine.open.app, authenticate: engine.open.authenticate });
  prisma = createPrismaClient(process.env.DATABASE_URL!);
});
afterAll(async () => {
  await server?.close();
  await prisma?.$disconnect();
  await engine?.stop();
});

const waitFor = async (id: string, done: (body: { status: string; running: boolean; progress: { inFlight: number; hosts: { status: string }[] } }) => boolean) => {
  for (let i = 0; i < 300; i++) {
    const body = (await server.inject({ method: 'GET', url: `/campaigns/${id}`, headers: AUDIT })).json();
    if (done(body)) return body;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`campaign ${id} never got there`);
};

describe('authentication and roles', () => {
  it('refuses a missing or unknown token with 401 and serves the OpenAPI document without one', async () => {
    expect((await server.inject({ method: 'GET', url: '/hosts' })).statusCode).toBe(401);
    const wrong = await server.inject({ method: 'GET', url: '/hosts', headers: { authorization: 'Bearer nope' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().message).toMatch(/unknown token/);
    const doc = (await server.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/hosts', '/campaigns', '/campaigns/{campaignId}/cancel', '/hosts/{hostId}/history']));
    expect((await server.inject({ method: 'GET', url: '/docs' })).statusCode).toBeLessThan(400);
    expect((await server.inject({ method: 'GET', url: '/me', headers: AUDIT })).json()).toEqual({ name: bob, role: 'auditor' });
  });

  it('lets an auditor read but not import, launch or cancel (403)', async () => {
    const inventory = JSON.parse(fs.readFileSync(engine.fleet.inventoryPath, 'utf8'));
    expect((await server.inject({ method: 'POST', url: '/hosts/import', headers: AUDIT, payload: inventory })).statusCode).toBe(403);
    const imported = await server.inject({ method: 'POST', url: '/hosts/import', headers: OP, payload: inventory });
    expect(imported.json()).toMatchObject({ created: expect.arrayContaining(['apia-esx01']) });
    expect((await server.inject({ method: 'GET', url: '/hosts', headers: AUDIT })).json().hosts).toHaveLength(4);
    const spec = engine.spec({ name, clusters: ['apia', 'apib'], waves: ['100%'], maxInFlight: 3 });
    const denied = await server.inject({ method: 'POST', url: '/campaigns', headers: AUDIT, payload: { spec } });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().message).toMatch(new RegExp(`${bob} is an auditor`));
    const bad = await server.inject({ method: 'POST', url: '/campaigns/plan', headers: AUDIT, payload: { spec: spec.replace('maxInFlight: 3', 'maxInFlight: -1') } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0].path).toBe('strategy.maxInFlight');
  });

  it("launches as an operator once, records the token's name, and lets only operators cancel", async () => {
    const spec = engine.spec({ name, clusters: ['apia', 'apib'], waves: ['100%'], maxInFlight: 3 });
    const launched = await server.inject({ method: 'POST', url: '/campaigns', headers: OP, payload: { spec } });
    expect(launched.statusCode).toBe(201);
    const again = await server.inject({ method: 'POST', url: '/campaigns', headers: OP, payload: { spec } });
    expect(again.json()).toMatchObject({ outcome: 'already-running' });
    await waitFor(name, (b) => b.progress.inFlight > 0 && b.status === 'running');
    expect((await server.inject({ method: 'POST', url: `/campaigns/${name}/cancel`, headers: AUDIT, payload: {} })).statusCode).toBe(403);
    // Only the slow host left, rebooting.
    await waitFor(name, (b) => b.progress.inFlight === 1 && b.progress.hosts.filter((h) => h.status === 'upgraded').length === 3);
    const cancel = await server.inject({ method: 'POST', url: `/campaigns/${name}/cancel`, headers: OP, payload: { reason: 'api test' } });
    expect(cancel.statusCode).toBe(200);
    const ended = await waitFor(name, (b) => !b.running);
    expect(ended.status).toBe('cancelled');
    const again409 = await server.inject({ method: 'POST', url: `/campaigns/${name}/pause`, headers: OP });
    expect(again409.statusCode).toBe(409);
    expect((await server.inject({ method: 'GET', url: '/campaigns/nope', headers: AUDIT })).statusCode).toBe(404);

    const events = await createBankswitchStore(prisma).readStream(`campaign-${name}`);
    expect(events.find((e) => e.type === 'CampaignLaunched')!.metadata.operator).toBe(alice);
    expect(events.find((e) => e.type === 'CampaignCancelled')!.metadata.operator).toBe(alice);
    const history = (await server.inject({ method: 'GET', url: '/hosts/apia-esx01/history', headers: AUDIT })).json();
    expect(history.entries[0]).toMatchObject({ type: 'BankStateObserved', operator: alice, campaignId: name });
    const at = (await server.inject({ method: 'GET', url: '/hosts/apia-esx01/history?at=2000-01-01T00:00:00Z', headers: AUDIT })).json();
    expect(at.streamVersion).toBe(0);
    expect((await server.inject({ method: 'GET', url: '/campaigns', headers: AUDIT })).json().campaigns.map((c: { campaignId: string }) => c.campaignId)).toContain(name);
  });

  it('settles a host through operator actions: auditors are refused, the banks decide, the answer says where the host stands', async () => {
    expect((await server.inject({ method: 'POST', url: '/hosts/apia-esx01/observe', headers: AUDIT, payload: {} })).statusCode).toBe(403);
    const observed = await server.inject({ method: 'POST', url: '/hosts/apia-esx01/observe', headers: OP, payload: { reason: 'after the api test' } });
    expect(observed.statusCode).toBe(200);
    expect(observed.json()).toMatchObject({ hostId: 'apia-esx01', action: 'observe', endState: 'upgraded' });
    const abandon = await server.inject({ method: 'POST', url: '/hosts/apia-esx01/abandon', headers: OP, payload: { reason: 'nothing staged' } });
    expect(abandon.statusCode).toBe(409);
    expect(abandon.json().message).toMatch(/abandon of host apia-esx01 was refused: nothing to abandon/);
    // Back to the previous image: the reboot is waited for, and the host says where it stands.
    const rollback = await server.inject({ method: 'POST', url: '/hosts/apia-esx01/rollback', headers: OP, payload: { reason: 'back to 8.0.2' } });
    expect(rollback.statusCode).toBe(200);
    expect(rollback.json()).toMatchObject({ action: 'rollback', endState: 'rolled-back' });
    const shown = (await server.inject({ method: 'GET', url: '/hosts/apia-esx01', headers: AUDIT })).json();
    expect(shown.banks).toMatchObject({ bootedBuild: '8.0.2-0.0.22380479', canRollBack: false, standing: { state: 'rolled-back' } });
    const history = (await server.inject({ method: 'GET', url: '/hosts/apia-esx01/history', headers: AUDIT })).json();
    // A rollback reboots the host: it runs in maintenance mode, entered once the decider accepted it.
    expect(history.entries.slice(-6).map((e: { type: string }) => e.type)).toEqual(['MaintenanceModeEntered', 'BankInvalidated', 'RolledBack', 'BankBooted', 'HostActionTaken', 'MaintenanceModeExited']);
    expect(history.entries.at(-2)).toMatchObject({ type: 'HostActionTaken', operator: alice, data: { action: 'rollback', reason: 'back to 8.0.2' } });
    expect(history.entries.at(-1)).toMatchObject({ type: 'MaintenanceModeExited', operator: alice, data: { campaignId: null } });
  });
});

describe('tokens', () => {
  it('are created by operators, shown once, stored hashed, listed without the secret, and refused once revoked; names are never reused', async () => {
    const carol = `carol-${Date.now().toString(36)}`;
    expect((await server.inject({ method: 'POST', url: '/tokens', headers: AUDIT, payload: { name: carol, role: 'operator' } })).statusCode).toBe(403);
    const created = await server.inject({ method: 'POST', url: '/tokens', headers: OP, payload: { name: carol, role: 'auditor' } });
    expect(created.statusCode).toBe(201);
    const { token } = created.json();
    expect(token).toMatch(/^bsw_[A-Za-z0-9_-]{43}$/);
    const row = await prisma.apiToken.findUniqueOrThrow({ where: { name: carol } });
    expect(row.hash).not.toContain(token.slice(4, 20));
    expect(row).toMatchObject({ role: 'auditor', createdBy: alice });
    const listed = (await server.inject({ method: 'GET', url: '/tokens', headers: AUDIT })).body;
    expect(listed).toContain(carol);
    expect(listed).not.toContain(token);
    expect((await server.inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${token}` } })).json()).toEqual({ name: carol, role: 'auditor' });

    const revoked = await server.inject({ method: 'POST', url: `/tokens/${carol}/revoke`, headers: OP });
    expect(revoked.json()).toMatchObject({ name: carol, revokedBy: alice });
    expect((await server.inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(401);
    const again = await server.inject({ method: 'POST', url: '/tokens', headers: OP, payload: { name: carol, role: 'auditor' } });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toMatch(/names are never reused/);
  });

  it('answers repeated failed sign-ins ever more slowly, and a good token at once', async () => {
    const timed = async (headers: Record<string, string>) => {
      const started = performance.now();
      const answer = await server.inject({ method: 'GET', url: '/me', headers, remoteAddress: '10.9.8.7' });
      return { status: answer.statusCode, ms: performance.now() - started };
    };
    const waits = [];
    for (let i = 0; i < 4; i++) waits.push(await timed({ authorization: 'Bearer bsw_guess' }));
    expect(waits.map((w) => w.status)).toEqual([401, 401, 401, 401]);
    // 100, 200, 400, 800 ms: the fourth guess waits at least four times the first.
    expect(waits[3]!.ms).toBeGreaterThanOrEqual(700);
    expect(waits[3]!.ms).toBeGreaterThan(waits[0]!.ms * 3);
    expect((await timed(AUDIT)).status).toBe(200);
  });
});

describe('the drift watch over the API', () => {
  it('runs on demand for operators only, and lists the hosts that drifted', async () => {
    expect((await server.inject({ method: 'POST', url: '/hosts/observe', headers: AUDIT, payload: {} })).statusCode).toBe(403);
    const unknown = await server.inject({ method: 'POST', url: '/hosts/observe', headers: OP, payload: { hosts: ['nosuch-esx99'] } });
    expect(unknown.statusCode).toBe(404);
    const observed = await server.inject({ method: 'POST', url: '/hosts/observe', headers: OP, payload: { hosts: ['apia-esx01'] } });
    expect(observed.statusCode).toBe(200);
    expect(observed.json()).toMatchObject({ counts: { unchanged: 1 }, hosts: [], workflowId: expect.stringMatching(/^drift-watch-now-/) });
    const drifted = (await server.inject({ method: 'GET', url: '/hosts?drifted=true', headers: AUDIT })).json();
    expect(drifted.hosts.map((h: { id: string }) => h.id)).not.toContain('apia-esx01');
    const all = (await server.inject({ method: 'GET', url: '/hosts', headers: AUDIT })).json();
    expect(all.hosts.find((h: { id: string }) => h.id === 'apia-esx01').banks).toMatchObject({ drift: null });
  });
});

describe('while PostgreSQL is away', () => {
  it('answers 503 with one sentence saying what is unavailable (it used to answer 500 with a driver error)', async () => {
    const port = await freeLoopbackPort();
    const down = await openBankswitchApp(appConfigFromEnv({ ...process.env, DATABASE_URL: `postgresql://postgres:postgres@127.0.0.1:${port}/bankswitch` }));
    const api = await buildApiServer({ app: down.app, authenticate: down.authenticate });
    try {
      for (const url of ['/hosts', '/campaigns', '/campaigns/x']) {
        const answer = await api.inject({ method: 'GET', url, headers: OP });
        expect(answer.statusCode).toBe(503);
        expect(answer.json()).toEqual({ error: 'unavailable', message: `PostgreSQL at 127.0.0.1:${port} is not reachable, so nothing was read or changed; check that it is up (and DATABASE_URL), then try again`, details: [] });
      }
    } finally {
      await api.close();
      await down.close();
    }
  });
});
