// The `bankswitch` binary as a real process (and, for speed, the same program in
// process) through the HTTP API (a real server on a loopback port, each operator with a
// token of their own name) against the real stack, a worker process and a simulated
// fleet; straight to the database where that is the point (the first token, PostgreSQL
// away); and the one-command demo run to completion.
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApiServer } from '@bankswitch/api';
import { startEngine, workspaceRootOf, type Engine } from '../../../tools/src/demo/engine';
import { freeLoopbackPort } from '../../../tools/src/local-stack/index';
import { connect } from '../src/connect';
import { runCli } from '../src/index';

const root = workspaceRootOf();
const bin = path.join(root, 'apps/cli/bin/bankswitch.mjs');
let engine: Engine;
let api: FastifyInstance;
let server: string;
const name = `cli-roll-${Date.now().toString(36)}`;
const FAILING = 'clib-esx02';
/** Each project's tests get a fresh database: the names need no suffix. */
const OPERATORS = ['tester', 'alice', 'carol', 'dave', 'erin', 'frank'] as const;
type Operator = (typeof OPERATORS)[number];
const tokens = new Map<string, string>();
let auditorToken: string;

/** Through the API as `as` by default; `{ direct: true }` straight to the database as the environment's operator. */
type Via = { as?: Operator; direct?: boolean; env?: Record<string, string> };
function envFor(via: Via): Record<string, string> {
  if (via.direct) return { ...engine.env, BANKSWITCH_SERVER: '', ...via.env };
  return { BANKSWITCH_SERVER: server, BANKSWITCH_TOKEN: tokens.get(via.as ?? 'tester')!, DATABASE_URL: '', ...via.env };
}

/** `bankswitch …` as a process. */
async function cli(args: string[], via: Via = {}): Promise<{ code: number; out: string; err: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, BANKSWITCH_SERVER: '', BANKSWITCH_TOKEN: '', ...envFor(via) } });
    return { code: 0, out: stdout, err: stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout, err: e.stderr };
  }
}

/** The same program in this process (no tsx start-up), through the API as `as`. */
async function inProcess(args: string[], as: Operator = 'tester'): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const env = envFor({ as });
  const code = await runCli(args, {
    open: (o) => connect({ server: o.server || env.BANKSWITCH_SERVER || undefined }, env),
    io: { out: (t) => out.push(t), err: (t) => err.push(t), isTty: false },
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

beforeAll(async () => {
  engine = await startEngine({
    databaseUrl: process.env.DATABASE_URL!,
    temporalAddress: process.env.TEMPORAL_ADDRESS!,
    clusters: [{ name: 'clia', hosts: 2 }, { name: 'clib', hosts: 2 }, { name: 'clic', hosts: 2 }],
    faults: { hosts: { [FAILING]: { failBoot: true }, 'clic-esx02': { slowRebootMs: 5_000 } } },
  });
  api = await buildApiServer({ app: engine.open.app, authenticate: engine.open.authenticate });
  server = await api.listen({ host: '127.0.0.1', port: 0 });
  // The first token straight to the database (whoever holds it administers Bankswitch);
  // the others through the API with it.
  const first = await cli(['tokens', 'create', '--name', 'tester', '--role', 'operator', '--json'], { direct: true, env: { BANKSWITCH_OPERATOR: 'root' } });
  tokens.set('tester', JSON.parse(first.out).token);
  for (const operator of OPERATORS.filter((o) => o !== 'tester')) tokens.set(operator, JSON.parse((await inProcess(['tokens', 'create', '--name', operator, '--role', 'operator', '--json'])).out).token);
  auditorToken = JSON.parse((await inProcess(['tokens', 'create', '--name', 'ursula', '--role', 'auditor', '--json'])).out).token;
});
afterAll(async () => {
  await api?.close();
  await engine?.stop();
});

describe('bankswitch as a process', () => {
  it('prints help for every command', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/hosts[\s\S]*campaign[\s\S]*host/);
    const watch = await inProcess(['campaign', 'watch', '--help']);
    expect(watch.out).toMatch(/exit 0 completed, 6 halted, 7 cancelled/);
    expect((await inProcess(['host', 'history', '--help'])).out).toMatch(/--at <time>/);
  });

  it('imports the inventory and refuses a malformed one with every problem at its path', async () => {
    const badFile = path.join(engine.dir, 'bad.json');
    fs.writeFileSync(badFile, JSON.stringify([{ id: 'a', name: 'a', cluster: 'x', address: 'nope' }, { id: 'a', name: 'b', cluster: 'x', address: 'http://h' }]));
    const bad = await cli(['hosts', 'import', badFile]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/\[0\]\.address/);
    const ok = await cli(['hosts', 'import', engine.fleet.inventoryPath]);
    expect(ok).toMatchObject({ code: 0, out: expect.stringMatching(/Imported 6 hosts: 6 new/) });
    const list = await cli(['hosts', 'list', '--json']);
    expect(JSON.parse(list.out).map((h: { id: string }) => h.id)).toHaveLength(6);
  });

  it('reports spec errors with their paths and plans a good spec', async () => {
    const badSpec = path.join(engine.dir, 'bad.yaml');
    fs.writeFileSync(badSpec, engine.spec({ name: 'Not A Slug', clusters: ['clia'], waves: ['140%'] }));
    const bad = await cli(['campaign', 'plan', badSpec]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^error: the campaign spec has 2 problems:\nname: .*\(line 1, column \d+\)\nstrategy\.waves\[0\]: /m);
    const spec = path.join(engine.dir, `${name}.yaml`);
    fs.writeFileSync(spec, engine.spec({ name, clusters: ['clia', 'clib'], waves: ['100%'], maxInFlight: 2, failureBudget: 1 }));
    const plan = await cli(['campaign', 'plan', spec]);
    expect(plan.code).toBe(0);
    expect(plan.out).toContain(`Campaign ${name} → ${engine.image.build}`);
  });

  it('launches once, watches until done (plain lines off a TTY), and shows status, list and host history', async () => {
    const spec = path.join(engine.dir, `${name}.yaml`);
    const launched = await cli(['campaign', 'launch', spec], { as: 'alice' });
    expect(launched.code).toBe(0);
    expect(launched.out).toContain(`campaign ${name} started`);
    expect((await inProcess(['campaign', 'launch', spec])).out).toContain('already running');
    const watch = await cli(['campaign', 'watch', name, '--interval', '200']);
    expect(watch.code).toBe(0);
    expect(watch.out).toContain(`${FAILING} fell-back: boot:`);
    expect(watch.out).toMatch(new RegExp(`Campaign ${name} ended completed: completed · wave 1/1 · done 4/4 · in flight 0 · failed 1 \\(budget 1\\)`));
    const again = await inProcess(['campaign', 'launch', spec]);
    expect(again.code).toBe(4);
    expect(again.err).toMatch(/has ended \(completed\).*bankswitch campaign retry/);

    const status = JSON.parse((await inProcess(['campaign', 'status', name, '--json'])).out);
    expect(status).toMatchObject({ status: 'completed', running: false });
    expect((await inProcess(['campaign', 'list'])).out).toMatch(new RegExp(`${name}\\s+completed`));
    expect((await inProcess(['hosts', 'show', FAILING])).out).toMatch(/rollback\s+not possible/);

    const history = await cli(['host', 'history', FAILING]);
    expect(history.code).toBe(0);
    expect(history.out).toMatch(/BootFellBack: boot of bank 1 \(8\.0\.3-0\.0\.24022510\) failed; the loader fell back to bank 0/);
    expect(history.out).toContain(`by: operator alice, campaign ${name}, workflow host-${FAILING}`);
    const entries = JSON.parse((await inProcess(['host', 'history', FAILING, '--json'])).out).entries;
    const atStaged = await cli(['host', 'history', FAILING, '--at', entries.find((e: { type: string }) => e.type === 'ImageStaged').at]);
    expect(atStaged.out).toMatch(/bank 1: 8\.0\.3-0\.0\.24022510 UPGRADING/);
    expect((await inProcess(['host', 'history', FAILING, '--at', 'tuesday'])).code).toBe(2);
  });

  it('retries the failed host in a retry run, recorded with who retried it', async () => {
    const retry = await inProcess(['host', 'retry', FAILING], 'carol');
    expect(retry.out).toContain(`Started a retry run of campaign ${name}`);
    const watch = await inProcess(['campaign', 'watch', name, '--interval', '200', '--json']);
    const last = JSON.parse(watch.out.trim().split('\n').at(-1)!);
    expect(last.progress.hosts.find((h: { hostId: string }) => h.hostId === FAILING)).toMatchObject({ status: 'fell-back', attempts: 2 });
    const entries = JSON.parse((await inProcess(['host', 'history', FAILING, '--json'])).out).entries;
    expect(entries.slice(-3)).toMatchObject([
      { type: 'BootFellBack', operator: 'carol' },
      { type: 'MaintenanceModeExited', operator: 'carol' },
      { type: 'UpgradeEnded', operator: 'carol' },
    ]);
  });

  it('settles hosts with operator actions: done with where the host stands, or refused (exit 4) with the reason in plain words', async () => {
    const observed = await cli(['host', 'observe', 'clia-esx01', '--reason', 'check'], { as: 'erin' });
    expect(observed).toMatchObject({ code: 0, out: expect.stringMatching(/^observe of host clia-esx01 done: upgraded — /) });
    const rollback = await inProcess(['host', 'rollback', FAILING], 'erin');
    expect(rollback.code).toBe(4);
    expect(rollback.err).toMatch(/rollback of host clib-esx02 was refused: cannot roll back: bank 1 holds INVALID build 8\.0\.3/);
    const entries = JSON.parse((await inProcess(['host', 'history', 'clia-esx01', '--json'])).out).entries;
    expect(entries.at(-1)).toMatchObject({ type: 'HostActionTaken', operator: 'erin', data: { action: 'observe', reason: 'check', endState: 'upgraded' } });
  });

  it('observes hosts on demand: drift after Shift+R at the console is recorded, shown by `hosts --drifted`, and acknowledged by `host observe`', async () => {
    expect((await inProcess(['hosts', 'observe', 'nosuch-esx99'])).err).toMatch(/no host "nosuch-esx99" in the inventory: .*nothing was observed/);
    await engine.fleet.admin.shiftR('clia-esx02');
    let report = '';
    for (let i = 0; i < 100 && !/drifted/.test(report); i++) report = (await inProcess(['hosts', 'observe', 'clia-esx02'], 'frank')).out;
    expect(report).toMatch(/^Observed 1 host: 1 drifted \(workflow drift-watch-now-\w+\)\./);
    expect(report).toMatch(/clia-esx02 +drifted +booted bank 1→0/);
    const drifted = await inProcess(['hosts', '--drifted']);
    expect(drifted.out).toMatch(/DRIFT/);
    expect(drifted.out).toMatch(/clia-esx02 .*booted bank 1→0/);
    expect(drifted.out).not.toMatch(/clia-esx01/);
    expect((await inProcess(['hosts', 'show', 'clia-esx02'])).out).toMatch(/drift +booted bank 1→0/);
    expect((await inProcess(['host', 'observe', 'clia-esx02', '--reason', 'Shift+R by the night shift'], 'frank')).code).toBe(0);
    expect((await inProcess(['hosts', 'list', '--drifted'])).out).toMatch(/^No hosts to show/);
  });

  it('exits 5 with one sentence when PostgreSQL or the API is away (it used to exit 1 with a stack trace)', async () => {
    const down = await cli(['hosts', 'list'], { direct: true, env: { DATABASE_URL: 'postgresql://postgres:postgres@127.0.0.1:9/bankswitch' } });
    expect(down.code).toBe(5);
    expect(down.err.trim()).toBe('error: PostgreSQL at 127.0.0.1:9 is not reachable, so nothing was read or changed; check that it is up (and DATABASE_URL), then try again');
    const port = await freeLoopbackPort();
    const away = await cli(['hosts', 'list'], { env: { BANKSWITCH_SERVER: `http://127.0.0.1:${port}` } });
    expect(away.code).toBe(5);
    expect(away.err.trim()).toBe(`error: the Bankswitch API at http://127.0.0.1:${port} is not reachable (ECONNREFUSED), so nothing was read or changed; check that it is up and that BANKSWITCH_SERVER names it, then try again`);
  });

  it('pauses, resumes and cancels; refusals come back with the reason and exit 4; watch exits 7 when cancelled', async () => {
    const gated = `${name}-gated`;
    const spec = path.join(engine.dir, `${gated}.yaml`);
    fs.writeFileSync(spec, engine.spec({ name: gated, clusters: ['clic'], waves: ['100%'], pauseBetweenWaves: 'manual' }));
    expect((await inProcess(['campaign', 'launch', spec])).code).toBe(0);
    for (let i = 0; i < 100 && !(await inProcess(['campaign', 'status', gated])).out.includes('awaiting-approval'); i++) await new Promise((r) => setTimeout(r, 200));
    const refused = await inProcess(['campaign', 'pause', gated]);
    expect(refused).toMatchObject({ code: 4, err: expect.stringMatching(/was refused: cannot pause a campaign that is awaiting-approval/) });
    expect((await inProcess(['campaign', 'resume', gated])).out).toMatch(/^Resumed: .* running/);
    for (let i = 0; i < 100 && JSON.parse((await inProcess(['campaign', 'status', gated, '--json'])).out).progress.inFlight === 0; i++) await new Promise((r) => setTimeout(r, 100));
    // The whole result, so that a refusal shows its reason (err) when this fails.
    expect(await inProcess(['campaign', 'pause', gated, '--reason', 'freeze'])).toMatchObject({ code: 0, out: expect.stringMatching(/^Paused: .* paused/) });
    const hostCancel = await cli(['host', 'cancel', 'clic-esx02', '--reason', 'cli test']);
    expect(hostCancel).toMatchObject({ code: 0, out: expect.stringContaining('cancellation of host-clic-esx02 requested') });
    expect((await inProcess(['campaign', 'cancel', gated], 'dave')).code).toBe(0);
    const watch = await cli(['campaign', 'watch', gated, '--interval', '200']);
    expect(watch.out).toMatch(/clic-esx02 (rolled-back|untouched) \(cancelled\)/);
    expect(watch.out).toContain(`Campaign ${gated} ended cancelled`);
    expect(watch.code).toBe(7);
    expect((await inProcess(['campaign', 'resume', gated])).err).toMatch(/cannot resume campaign .*: its workflow is not running \(the campaign is cancelled\)/);
  });
});

describe('tokens and the front door', () => {
  it('records the token\'s name as the operator, lets an auditor read but not act (exit 9), and refuses a revoked token', async () => {
    const asAuditor = { env: { BANKSWITCH_TOKEN: auditorToken } };
    expect((await cli(['hosts', 'show', 'clia-esx01'], asAuditor)).code).toBe(0);
    const refused = await cli(['host', 'observe', 'clia-esx01'], asAuditor);
    expect(refused.code).toBe(9);
    expect(refused.err).toMatch(/ursula is an auditor: auditors may read but not act/);
    const listed = await inProcess(['tokens', 'list']);
    expect(listed.out).toMatch(/^NAME +ROLE +CREATED BY/);
    expect(listed.out).toMatch(/tester +operator +root/);
    expect(listed.out).toMatch(/ursula +auditor +tester/);
    for (const token of tokens.values()) expect(listed.out).not.toContain(token);
    expect((await inProcess(['tokens', 'revoke', 'ursula'])).out).toContain('Revoked token ursula (auditor)');
    const revoked = await cli(['hosts', 'list'], asAuditor);
    expect(revoked.code).toBe(9);
    expect(revoked.err).toMatch(/unknown token.*BANKSWITCH_TOKEN/);
    const missing = await cli(['hosts', 'list'], { env: { BANKSWITCH_TOKEN: '' } });
    expect(missing).toMatchObject({ code: 9, err: expect.stringMatching(/needs a token: set BANKSWITCH_TOKEN/) });
  });

  it('writes a long answer whole into a pipe (it used to stop at 64 KiB)', async () => {
    const many = Array.from({ length: 900 }, (_, i) => ({ id: `pipe-esx${String(i).padStart(3, '0')}`, name: `pipe-esx${String(i).padStart(3, '0')}.example.org`, address: 'http://127.0.0.1:9', cluster: 'pipe', labels: { rack: `r${i % 12}`, row: 'b' } }));
    const file = path.join(engine.dir, 'pipe-inventory.json');
    fs.writeFileSync(file, JSON.stringify(many));
    expect((await inProcess(['hosts', 'import', file])).code).toBe(0);
    // execFile reads the child's stdout through a pipe, as `| wc -c` would.
    const listed = await cli(['hosts', 'list', '--cluster', 'pipe', '--json']);
    expect(listed.code).toBe(0);
    expect(listed.out.length).toBeGreaterThan(150_000);
    expect(JSON.parse(listed.out)).toHaveLength(900);
  });
});

describe('npm run demo', () => {
  it.each([
    ['over the hosts\' HTTP API', [], /reached over their HTTP API/],
    ['over SSH as ESXi answers it (--driver ssh)', ['--driver', 'ssh'], /reached over SSH as ESXi answers it/],
  ])('runs to completion %s: exit 0, the API address, the summary, the fallen-back host history and the drift found', async (_how, extra, reached) => {
    const child = spawn('npx', ['tsx', 'tools/src/demo/main.ts', ...extra], { cwd: root, env: { ...process.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(out).toMatch(reached);
    expect(out).toMatch(/API\s+http:\/\/127\.0\.0\.1:\d+/);
    expect(out).toMatch(/Dashboard\s+http:\/\/127\.0\.0\.1:\d+\/ {2}sign in with the operator token \(demo-\w+\): bsw_\S{43}/);
    expect(out).toMatch(/Summary: campaign demo-\w+ completed/);
    expect(out).toContain('fell back: west-esx04');
    expect(out).toMatch(/Bank history of west-esx04[\s\S]*BootFellBack/);
    expect(out).toMatch(/east-esx02 +drifted: booted bank 1→0/);
    expect(out).toContain('bankswitch hosts --drifted: east-esx02 ');
    expect(out).toContain('The demo ended as expected');
    expect(out).toContain('Stopped everything the demo started');
    expect(code).toBe(0);
  });
  it('refuses a driver it does not have, saying which it has', async () => {
    const child = spawn('npx', ['tsx', 'tools/src/demo/main.ts', '--driver', 'telnet'], { cwd: root, env: { ...process.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    expect(await new Promise<number | null>((resolve) => child.once('exit', resolve))).toBe(2);
    expect(err).toContain('--driver telnet is not a driver: use --driver http (the default) or --driver ssh');
  });
});
