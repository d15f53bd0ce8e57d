// The application layer against the real stack, a real worker process and a simulated
// fleet: inventory import, spec errors, plan, idempotent launch, updates and their
// refusals, retry runs, host history and time travel, and who did what.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from '@bankswitch/event-store';
import { openRecords, type BankswitchStore } from '@bankswitch/records';
import { ConflictError, appConfigFromEnv, openBankswitchApp, type OpenApp, InvalidInputError, NotFoundError, type BankswitchApp } from '../src/index';
import { startProcessEngine, type ProcessEngine } from './process-engine';
import { waitForCampaign } from './wait';

let engine: ProcessEngine;
let open: OpenApp;
let app: BankswitchApp;
let prisma: PrismaClient;
let store: BankswitchStore;
const run = randomUUID().slice(0, 6);
const FAILING = 'appb-esx02';

beforeAll(async () => {
  engine = await startProcessEngine({ hosts: 8, clusters: ['appa', 'appb', 'appc'], faults: [`failBoot@${FAILING}`, 'slowRebootMs=4000@appc-esx02'] });
  open = await openBankswitchApp(appConfigFromEnv(engine.env));
  app = open.app;
  prisma = createPrismaClient(process.env.DATABASE_URL!);
  store = openRecords(prisma).store;
});
afterAll(async () => {
  await prisma?.$disconnect();
  await open?.close();
  await engine?.stop();
});

describe('hosts', () => {
  it('refuses a malformed inventory with every problem at its path, and imports a good one idempotently', async () => {
    const bad = [{ id: 'x y', name: 'x', address: 'not a url', cluster: 'c' }, { id: 'ok', name: 'ok', cluster: 'c', address: 'http://127.0.0.1:1', color: 'red' }];
    const error = await app.importHosts(JSON.stringify(bad)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).details.map((d) => d.path)).toEqual(expect.arrayContaining(['[0].id', '[0].address', '[1]']));
    await expect(app.importHosts('{ nope')).rejects.toThrow(/not valid JSON/);

    const text = fs.readFileSync(engine.inventoryPath, 'utf8');
    expect(await app.importHosts(text)).toMatchObject({ created: expect.arrayContaining([FAILING]), updated: [] });
    expect((await app.importHosts(text)).unchanged).toHaveLength(8);
    const hosts = await app.listHosts({ cluster: 'appa' });
    expect(hosts.map((h) => h.id)).toEqual(['appa-esx01', 'appa-esx02', 'appa-esx03']);
    expect(hosts[0]!.banks).toBeNull();
    await expect(app.showHost('nope')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('campaigns', () => {
  const name = `app-roll-${run}`;

  it('reports every spec error with its path', async () => {
    const text = engine.spec({ name: 'Bad Name', clusters: ['appa'], waves: ['140%'], maxInFlight: 0 });
    const error = (await app.planCampaign(text).catch((e: unknown) => e)) as InvalidInputError;
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.details.map((d) => d.path)).toEqual(expect.arrayContaining(['name', 'strategy.waves[0]', 'strategy.maxInFlight']));
    expect(error.message).toMatch(/strategy\.waves\[0\]: .*\(line \d+, column \d+\)/);
    await expect(app.planCampaign(engine.spec({ name: 'x', clusters: ['nowhere'] }))).rejects.toThrow(/nowhere/);
  });

  it('launches once: a second launch of a running campaign starts nothing, of an ended one points to retry', async () => {
    const spec = engine.spec({ name, clusters: ['appa', 'appb'], waves: ['100%'], maxInFlight: 3, failureBudget: 1 });
    const plan = await app.planCampaign(spec);
    expect(plan.text).toContain(`Campaign ${name}`);
    expect(plan.plan.waves.map((w) => w.hostIds.length)).toEqual([1, 5]);

    const first = await app.launchCampaign(spec, { by: 'alice' });
    expect(first.outcome).toBe('started');
    const second = await app.launchCampaign(spec, { by: 'bob' });
    expect(second).toMatchObject({ outcome: 'already-running', runId: first.runId });

    const ended = await waitForCampaign(app, name, (v) => !v.running);
    expect(ended.status).toBe('completed');
    expect(ended.progress!.hosts.find((h) => h.hostId === FAILING)!.status).toBe('fell-back');
    expect(ended.progress!.failed).toBe(1);
    const again = await app.launchCampaign(spec, { by: 'bob' }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(ConflictError);
    expect((again as Error).message).toMatch(/already launched and has ended \(completed\).*campaign retry/);

    const events = await app.hostHistory(FAILING);
    expect(events.entries.map((e) => e.type)).toEqual(['BankStateObserved', 'UpgradeStarted', 'MaintenanceModeEntered', 'ImageStaged', 'BootFellBack', 'MaintenanceModeExited', 'UpgradeEnded']);
    expect(events.entries.every((e) => e.operator === 'alice' && e.campaignId === name)).toBe(true);
    const [launched] = await store.readStream(`campaign-${name}`);
    expect(launched).toMatchObject({ type: 'CampaignLaunched', metadata: { operator: 'alice' } });

    const list = await app.listCampaigns();
    expect(list.map((c) => c.campaignId)).toContain(name);
  });

  it('shows a host with its banks, its history with who caused each change, and its banks at an earlier time', async () => {
    const shown = await app.showHost(FAILING);
    expect(shown.banks).toMatchObject({ bootedBuild: '8.0.2-0.0.22380479', canRollBack: false, lastCampaignId: name, standing: { state: 'fell-back', cause: 'failed', campaignId: name } });
    const upgraded = await app.showHost('appa-esx01');
    expect(upgraded.banks).toMatchObject({ bootedBuild: engine.image.build, canRollBack: true, rollBackTo: { build: '8.0.2-0.0.22380479' } });

    const history = await app.hostHistory('appa-esx01');
    expect(history.entries.map((e) => e.type)).toEqual([
      'BankStateObserved',
      'UpgradeStarted',
      'MaintenanceModeEntered',
      'ImageStaged',
      'BankBooted',
      'BankCommitted',
      'MaintenanceModeExited',
      'UpgradeEnded',
    ]);
    const beforeCommit = history.entries[4]!.at;
    const at = await app.hostAt('appa-esx01', beforeCommit);
    expect(at).toMatchObject({ streamVersion: 5, bootedBuild: engine.image.build, standing: { state: 'upgrading' } });
    expect(at.banks.find((b) => b.build === engine.image.build)!.state).toBe('DIRTY');
    expect((await app.hostAt('appa-esx01', '2000-01-01T00:00:00Z')).streamVersion).toBe(0);
    await expect(app.hostAt('appa-esx01', 'yesterday-ish')).rejects.toThrow(/is not a time/);
  });

  it('retries the fallen-back host in a retry run that records who retried it', async () => {
    const retry = await app.retryHost(FAILING, { by: 'carol' });
    expect(retry).toMatchObject({ mode: 'retry-run', campaignId: name, hostIds: [FAILING] });
    const ended = await waitForCampaign(app, name, (v) => !v.running && v.progress.hosts.find((h) => h.hostId === FAILING)?.attempts === 2);
    // The host still cannot boot the build: it falls back again, within the budget.
    expect(ended.status).toBe('completed');
    expect(ended.progress!.hosts.find((h) => h.hostId === FAILING)).toMatchObject({ status: 'fell-back', attempts: 2 });
    const history = await app.hostHistory(FAILING);
    expect(history.entries.slice(-3)).toMatchObject([
      { type: 'BootFellBack', operator: 'carol' },
      { type: 'MaintenanceModeExited', operator: 'carol' },
      { type: 'UpgradeEnded', operator: 'carol' },
    ]);
    await expect(app.retryHost('appa-esx01', { by: 'carol' })).rejects.toThrow(/not failed/);
  });

  it('pauses, resumes and cancels through updates, records who did it, and surfaces the workflow refusals', async () => {
    const gated = `app-gated-${run}`;
    await app.launchCampaign(engine.spec({ name: gated, clusters: ['appc'], waves: ['100%'], pauseBetweenWaves: 'manual' }), { by: 'alice' });
    await waitForCampaign(app, gated, (v) => v.status === 'awaiting-approval');
    await expect(app.pauseCampaign(gated, { by: 'bob' })).rejects.toThrow(/pause of campaign .* was refused: cannot pause a campaign that is awaiting-approval/);
    expect((await app.resumeCampaign(gated, { by: 'bob' })).status).toBe('running');
    await waitForCampaign(app, gated, (v) => v.progress!.inFlight === 1);
    expect((await app.pauseCampaign(gated, { by: 'bob', reason: 'change freeze' })).status).toBe('paused');
    await app.cancelCampaign(gated, { by: 'dave', reason: 'test over' });
    const ended = await waitForCampaign(app, gated, (v) => !v.running);
    expect(ended.status).toBe('cancelled');
    expect(ended.progress.hosts[0]).toMatchObject({ status: 'upgraded' });
    // The host in flight was settled: its staged or booted image undone (or it was never touched).
    expect(['rolled-back', 'untouched']).toContain(ended.progress.hosts[1]!.status);
    expect(ended.progress.hosts[1]!.cause).toBe('cancelled');
    const events = await store.readStream(`campaign-${gated}`);
    const by = (type: string) => events.filter((e) => e.type === type).map((e) => e.metadata.operator);
    expect(by('CampaignResumed')).toEqual(['bob']);
    expect(by('CampaignPaused')).toEqual(['alice', 'bob']);
    expect(by('CampaignCancelled')).toEqual(['dave']);
    await expect(app.cancelCampaign(gated, { by: 'dave' })).rejects.toThrow(/cannot cancel campaign .*: its workflow is not running \(the campaign is cancelled\)/);
    await expect(app.campaignStatus('no-such-campaign')).rejects.toBeInstanceOf(NotFoundError);
    await expect(app.cancelHost('appa-esx01', { by: 'dave' })).rejects.toThrow(/nothing runs on host appa-esx01/);
  });
});
