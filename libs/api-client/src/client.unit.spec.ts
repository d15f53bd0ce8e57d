// The client against a real HTTP server on a loopback port that answers as the API does:
// what it sends (token, body, query), and the refusals it turns back into typed errors.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from './client';

interface Seen {
  method: string;
  url: string;
  authorization?: string;
  body: string;
}
const seen: Seen[] = [];
let server: http.Server;
let base: string;

/** path → [status, body] */
const answers: Record<string, [number, unknown]> = {
  'GET /hosts?cluster=east&drifted=true': [200, { hosts: [{ id: 'east-esx01' }] }],
  'POST /campaigns/c1/pause': [200, { status: 'paused' }],
  'GET /hosts/nope': [404, { error: 'not-found', message: 'no host "nope" in the inventory' }],
  'POST /campaigns/plan': [400, { error: 'invalid-input', message: 'the campaign spec has 1 problem', details: [{ path: 'name', message: 'expected a slug' }] }],
  'POST /hosts/h1/rollback': [403, { error: 'forbidden', message: 'bob is an auditor: auditors may read but not act; ask an operator' }],
  'GET /campaigns': [401, { error: 'unauthorized', message: 'unknown token: check the token you were given' }],
  'GET /tokens': [500, { error: 'internal', errorId: 'e-1', message: 'internal error e-1: the detail is in the API log under this id' }],
};

beforeAll(async () => {
  server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      seen.push({ method: request.method!, url: request.url!, authorization: request.headers.authorization, body });
      const [status, answer] = answers[`${request.method} ${request.url}`] ?? [404, { error: 'not-found', message: 'no route' }];
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(typeof answer === 'string' ? answer : JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const client = () => createApiClient({ server: base, token: 'bsw_test' });
const refusal = (promise: Promise<unknown>) => promise.then(() => { throw new Error('expected a refusal'); }, (e: unknown) => e as { kind?: string; message: string; details?: unknown });

describe('createApiClient', () => {
  it('sends the bearer token, the query and the body, and never the operator (the server records the token name)', async () => {
    expect(await client().listHosts({ cluster: 'east', drifted: true })).toEqual([{ id: 'east-esx01' }]);
    expect(await client().pauseCampaign('c1', { by: 'mallory', reason: 'freeze' })).toEqual({ status: 'paused' });
    const pause = seen.find((s) => s.url === '/campaigns/c1/pause')!;
    expect(pause.authorization).toBe('Bearer bsw_test');
    expect(JSON.parse(pause.body)).toEqual({ reason: 'freeze' });
  });

  it('turns refusals into the typed errors the CLI maps to exit codes, with the details', async () => {
    expect(await refusal(client().showHost('nope'))).toMatchObject({ kind: 'not-found', message: 'no host "nope" in the inventory' });
    expect(await refusal(client().planCampaign('name: X'))).toMatchObject({ kind: 'invalid-input', details: [{ path: 'name', message: 'expected a slug' }] });
    expect(await refusal(client().hostAction('h1', 'rollback', { by: 'bob' }))).toMatchObject({ kind: 'forbidden' });
    expect(await refusal(client().listCampaigns())).toMatchObject({ kind: 'unauthenticated', message: expect.stringContaining('BANKSWITCH_TOKEN') });
    const internal = await refusal(client().listTokens());
    expect(internal.kind).toBeUndefined();
    expect(internal.message).toContain('internal error e-1');
  });

  it('says so when the answer is not JSON, and refuses an inventory that is not JSON before sending it', async () => {
    const before = seen.length;
    expect(await refusal(client().importHosts('[{'))).toMatchObject({ kind: 'invalid-input', message: expect.stringMatching(/^the inventory is not valid JSON/) });
    expect(seen.length).toBe(before);
    answers['GET /hosts/odd'] = [200, 'not json'];
    expect((await refusal(client().showHost('odd'))).message).toMatch(/answered 200 with something that is not JSON/);
  });
});
