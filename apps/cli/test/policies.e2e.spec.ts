// Campaign policies (issue 15) through the operator surfaces, against the real stack, a
// worker process that trusts one image-signing key and a simulated fleet: the plan of
// the example spec that uses every policy; hosts waiting for approval, approved one
// through `POST /hosts/{id}/approve`, one with `bankswitch host approve` and the rest with
// `bankswitch campaign approve-hosts`, each approval recorded with who gave it, and
// approvals nobody waits for refused in one sentence; then the facts of the staged
// images (which trusted key signed them, why a downgrade was allowed) in the CLI's host
// history and the API's JSON. One engine serves the three: each start costs tens of
// seconds on a loaded machine.
import { execFile } from 'node:child_process';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApiServer } from '@bankswitch/api';
import { NEW_BUILD, OLD_BUILD, specYaml, startEngine, workspaceRootOf, type Engine, type SpecOptions } from '../../../tools/src/demo/engine';
import { migrateDeploy } from '../../../tools/src/local-stack/index';
import { cloneDatabase, dropDatabase } from '../../../tools/src/local-stack/test-database';

const root = workspaceRootOf();
const bin = path.join(root, 'apps/cli/bin/bankswitch.mjs');
const run = Date.now().toString(36);
const approvalsCampaign = `approvals-${run}`;
const downgradeCampaign = `downgrade-${run}`;
const [CANARY, SECOND, THIRD, FOURTH] = ['pol-esx01', 'pol-esx02', 'pol-esx03', 'pol-esx04'] as const;
const REASON = 'INC-4711: U3 breaks the lpfc driver; back to U2';
const release = generateKeyPairSync('ed25519');
let databaseUrl: string;
let keysDir: string;
let engine: Engine;
let api: FastifyInstance;
let server: string;
const tokens = new Map<string, string>();

type Image = { readonly path: string; readonly sha256: string; readonly build: string };
/** Base64 Ed25519 signature of the image's digest with the key the worker trusts. */
const signatureOf = (image: Image) => sign(null, Buffer.from(image.sha256, 'hex'), release.privateKey).toString('base64');

/** A spec over `image` (the fleet's new build by default), signed, with more `target` lines and more top-level YAML. */
function policySpec(options: SpecOptions, more: { image?: Image; target?: readonly string[]; topLevel?: readonly string[] } = {}): string {
  const image = more.image ?? engine.image;
  const target = [`signature: ${signatureOf(image)}`, ...(more.target ?? [])].map((line) => `  ${line}\n`).join('');
  return `${specYaml(options, image).replace('\nhosts:\n', `\n${target}hosts:\n`)}${(more.topLevel ?? []).join('\n')}\n`;
}

/** `bankswitch …` as a process, through the API with `as`'s token. */
async function cli(args: string[], as: string): Promise<{ code: number; out: string; err: string }> {
  const env = { ...process.env, BANKSWITCH_SERVER: server, BANKSWITCH_TOKEN: tokens.get(as)!, DATABASE_URL: '' };
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], { cwd: root, env });
    return { code: 0, out: stdout, err: stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout, err: e.stderr };
  }
}

/** What the tests read of the API's answers. */
type Answer = { message?: string; awaitingApproval?: { reboot: string[] }; progress?: { awaitingApproval?: { reboot: string[] } }; entries?: HistoryJson[]; banks?: { bootedBuild: string } };
type HistoryJson = { type: string; summary: string; data: Record<string, unknown> };

/** The API over HTTP, as `as`. */
async function call(method: 'GET' | 'POST', route: string, as: string, body?: unknown): Promise<{ status: number; body: Answer }> {
  const response = await fetch(`${server}${route}`, {
    method,
    headers: { authorization: `Bearer ${tokens.get(as)!}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Answer };
}

/** Polls the campaign (as the auditor) until `ready` says so. */
async function campaignWhen(id: string, what: string, ready: (view: Answer) => boolean): Promise<Answer> {
  for (let i = 0; i < 300; i++) {
    const view = (await call('GET', `/campaigns/${id}`, 'ursula')).body;
    if (ready(view)) return view;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`campaign ${id} never had ${what}`);
}
const waitingBeforeReboot = (id: string, hostIds: readonly string[]) =>
  campaignWhen(id, `${hostIds.join(', ')} waiting before the reboot`, (v) => hostIds.every((h) => v.progress?.awaitingApproval?.reboot.includes(h) === true));

beforeAll(async () => {
  // A database of this file's own: the CLI's other tests count the hosts they import.
  // Under `npm run test:all` a migrated, empty one is there to copy; alone, a pristine
  // one is migrated here.
  const migrated = process.env.BANKSWITCH_TEST_DATABASE_URL;
  const template = new URL(migrated ?? process.env.DATABASE_URL!);
  if (!migrated) template.pathname = '/template0';
  databaseUrl = await cloneDatabase(template.toString(), `cli_policies_${process.pid}`);
  if (!migrated) await migrateDeploy(databaseUrl);
  keysDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bankswitch-keys-'));
  fs.writeFileSync(path.join(keysDir, 'release.pem'), release.publicKey.export({ type: 'spki', format: 'pem' }));
  engine = await startEngine({
    databaseUrl,
    temporalAddress: process.env.TEMPORAL_ADDRESS!,
    clusters: [{ name: 'pol', hosts: 4 }],
    // Every image must be signed by the release key: the ImageStaged events name it.
    workerEnv: { BANKSWITCH_TRUSTED_IMAGE_KEYS: path.join(keysDir, 'release.pem') },
  });
  for (const [name, role] of [['alice', 'operator'], ['carol', 'operator'], ['dave', 'operator'], ['ursula', 'auditor']] as const) {
    tokens.set(name, (await engine.open.app.createToken({ name, role, by: 'policies-test' })).token);
  }
  await engine.open.app.importHosts(fs.readFileSync(engine.fleet.inventoryPath, 'utf8'));
  api = await buildApiServer({ app: engine.open.app, authenticate: engine.open.authenticate });
  server = await api.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await api?.close();
  await engine?.stop();
  if (databaseUrl) await dropDatabase(databaseUrl).catch(() => {});
  if (keysDir) fs.rmSync(keysDir, { recursive: true, force: true });
});

/** The line of the plan that shows each policy of the example spec. */
const POLICY_LINES: Readonly<Record<string, RegExp>> = {
  'target.signature': /^Image signature: cA5hfh\+syHbT…, checked against the worker's trusted keys before anything is staged/m,
  'target.allowDowngrade': /^Downgrade allowed: INC-4711: U3 breaks the lpfc driver; back to U2 \(recorded with each staged image\)\.$/m,
  'strategy.rampUp': /^Ramp-up: waves grow from 1 host by ×2 while the last wave had no failure, up to 50 hosts;/m,
  windows: /^Window: opens at "0 22 \* \* 1-5" \(Europe\/Berlin\) for 6h;.*\nNext windows: \S+ – \S+, /m,
  gates: /^Gate error-rate: .* else the campaign halts\.\nGate ha-ready: .* else the campaign pauses until an operator resumes\.$/m,
  approvals: /^Approval before the reboot: the canary wave's 1 host waits .*: prod-a-01\.\nApproval before the commit: all 4 hosts wait /m,
  commit: /^Commit barrier \(commit: wave\): each wave's hosts verify, then wait .*\n {2}wave 0 \(canary, 1 host\): prod-a-01\n/m,
};

describe('bankswitch campaign plan, the example spec with every policy', () => {
  it('shows each policy', async () => {
    const prod = ['prod-a-01', 'prod-a-02', 'prod-b-01', 'prod-b-02'].map((id) => ({ id, name: id, cluster: id.slice(0, 6), address: 'http://127.0.0.1:9' }));
    await engine.open.app.importHosts(JSON.stringify(prod));
    const plan = await cli(['campaign', 'plan', 'libs/campaign-spec/examples/every-policy.yaml'], 'ursula');
    expect(plan).toMatchObject({ code: 0, out: expect.stringContaining('Campaign every-policy → 8.0.2-0.0.22380479') });
    for (const [field, line] of Object.entries(POLICY_LINES)) expect(plan.out, field).toMatch(line);
  });
});

describe('approvals through the API and the CLI', () => {
  it('holds each host before its reboot until approved, records who approved, and refuses what nobody waits for', async () => {
    const spec = policySpec({ name: approvalsCampaign, clusters: ['pol'], waves: ['100%'], maxInFlight: 3 }, { topLevel: ['approvals:', '  beforeReboot: all'] });
    expect((await call('POST', '/campaigns', 'alice', { spec })).status).toBe(201);
    await waitingBeforeReboot(approvalsCampaign, [CANARY]);

    // Refused, each in one sentence: a point the host does not wait at, a host the
    // campaign has not started, a point nobody waits at, and an auditor.
    const wrongPoint = await cli(['host', 'approve', CANARY, '--point', 'commit'], 'carol');
    expect(wrongPoint.code).toBe(4);
    expect(wrongPoint.err.trim()).toMatch(new RegExp(`^error: approval of hosts of campaign ${approvalsCampaign} was refused: .*${CANARY} is not waiting for approval before the commit in campaign ${approvalsCampaign}$`));
    const notStarted = await call('POST', `/hosts/${SECOND}/approve`, 'alice', {});
    expect(notStarted).toMatchObject({ status: 409, body: { message: `host ${SECOND} is not being upgraded by a campaign: there is nothing to approve` } });
    const nobodyAtStage = await call('POST', `/campaigns/${approvalsCampaign}/approve-hosts`, 'alice', { point: 'stage' });
    expect(nobodyAtStage.status).toBe(409);
    expect(nobodyAtStage.body.message).toMatch(new RegExp(`was refused: .*no host of campaign ${approvalsCampaign} is waiting for approval before the stage$`));
    expect((await call('POST', `/hosts/${CANARY}/approve`, 'ursula', {})).status).toBe(403);

    const approved = await call('POST', `/hosts/${CANARY}/approve`, 'alice', {});
    expect(approved.status).toBe(200);
    expect(approved.body.awaitingApproval?.reboot).not.toContain(CANARY);

    await waitingBeforeReboot(approvalsCampaign, [SECOND, THIRD, FOURTH]);
    const one = await cli(['host', 'approve', SECOND], 'carol');
    expect(one).toMatchObject({ code: 0, out: expect.stringMatching(new RegExp(`^Approved ${SECOND}: ${approvalsCampaign} · running`)) });
    const rest = await cli(['campaign', 'approve-hosts', approvalsCampaign, '--point', 'reboot'], 'dave');
    expect(rest).toMatchObject({ code: 0, out: expect.stringMatching(new RegExp(`^Approved waiting hosts: ${approvalsCampaign} · running`)) });

    const watch = await cli(['campaign', 'watch', approvalsCampaign, '--interval', '200'], 'ursula');
    expect(watch.out).toContain(`Campaign ${approvalsCampaign} ended completed: completed · wave 1/1 · done 4/4`);
    expect(watch.code).toBe(0);
    const over = await cli(['campaign', 'approve-hosts', approvalsCampaign], 'dave');
    expect(over.code).toBe(4);
    expect(over.err.trim()).toBe(`error: cannot approve hosts of campaign ${approvalsCampaign}: its workflow is not running (the campaign is completed)`);

    // Who approved whom, as the campaign recorded it (refusals recorded nothing).
    const timeline = (await call('GET', `/campaigns/${approvalsCampaign}/timeline`, 'ursula')).body.entries ?? [];
    const approvals = timeline.filter((e) => e.type === 'HostApproved').map(({ data }) => `${String(data.hostId)}@${String(data.point)} by ${String(data.by)}`);
    expect(approvals.sort()).toEqual([`${CANARY}@reboot by alice`, `${SECOND}@reboot by carol`, `${THIRD}@reboot by dave`, `${FOURTH}@reboot by dave`]);
    expect(timeline.filter((e) => e.type === 'HostWaitingForApproval')).toHaveLength(4);
    const history = await cli(['host', 'history', SECOND], 'ursula');
    expect(history.out).toMatch(/HostApprovalRequested: waiting for an operator's approval before the reboot/);
    expect(history.out).toMatch(/HostApprovalGranted: approved before the reboot by carol/);
  });
});

describe('the facts of a staged image: its signer and why a downgrade was allowed', () => {
  it('shows the trusted key that verified the signature in the host history, the CLI\'s and the API\'s', async () => {
    const history = await cli(['host', 'history', CANARY], 'ursula');
    expect(history.out).toMatch(new RegExp(`ImageStaged: staged ${NEW_BUILD} into bank \\d.*; signed by trusted key release\\.pem\\n`));
    const entries = (await call('GET', `/hosts/${CANARY}/history`, 'ursula')).body.entries ?? [];
    const staged = entries.find((e) => e.type === 'ImageStaged')!;
    expect(staged.data).toMatchObject({ build: NEW_BUILD, signedBy: 'release.pem' });
    expect(staged.data.downgrade).toBeUndefined();
    expect(staged.summary).toMatch(/; signed by trusted key release\.pem$/);
  });

  it('records and shows the reason of an allowed downgrade with the staged image', async () => {
    // The canary now runs the new build: back to the old one, allowed for a reason.
    const payload = Buffer.from(`ESXi ${OLD_BUILD} image\n`.repeat(4096));
    const image = { path: path.join(engine.dir, 'esxi-old.iso'), sha256: createHash('sha256').update(payload).digest('hex'), build: OLD_BUILD };
    fs.writeFileSync(image.path, payload);
    const file = path.join(engine.dir, `${downgradeCampaign}.yaml`);
    fs.writeFileSync(file, policySpec({ name: downgradeCampaign, names: [CANARY] }, { image, target: [`allowDowngrade: { reason: "${REASON}" }`] }));
    const launched = await cli(['campaign', 'launch', file], 'alice');
    // The plan names hosts by name, the inventory's `esx01.pol.sim.local`.
    const canaryName = engine.fleet.inventory.find((h) => h.id === CANARY)!.name;
    expect(launched.out).toContain(`${canaryName}: downgrade from ${NEW_BUILD} to ${OLD_BUILD}, allowed: ${REASON}`);
    const watch = await cli(['campaign', 'watch', downgradeCampaign, '--interval', '200'], 'ursula');
    expect(watch.out).toMatch(new RegExp(`Campaign ${downgradeCampaign} ended completed: completed · .* · done 1/1 · in flight 0 · failed 0`));

    const history = await cli(['host', 'history', CANARY], 'ursula');
    expect(history.out).toMatch(new RegExp(`ImageStaged: staged ${OLD_BUILD} into bank \\d.*; signed by trusted key release\\.pem; downgrade from ${NEW_BUILD} allowed: ${REASON}\\n`));
    const entries = (await call('GET', `/hosts/${CANARY}/history`, 'ursula')).body.entries ?? [];
    const staged = entries.filter((e) => e.type === 'ImageStaged').at(-1)!;
    expect(staged.data).toMatchObject({ build: OLD_BUILD, signedBy: 'release.pem', downgrade: { fromBuild: NEW_BUILD, reason: REASON } });
    expect(staged.summary).toContain(`; downgrade from ${NEW_BUILD} allowed: ${REASON}`);
    expect((await call('GET', `/hosts/${CANARY}`, 'ursula')).body.banks?.bootedBuild).toBe(OLD_BUILD);
  });
});
