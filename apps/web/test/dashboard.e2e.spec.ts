// The dashboard in headless Chromium against the real stack, a worker process, a
// simulated fleet with a host whose new image does not boot, and the real API listening
// on a loopback port: an operator follows a campaign live through a pause and a resume to
// its end, opens the host that fell back and looks at its banks before the upgrade,
// filters the fleet; an auditor sees everything and no action, and is refused 403 when
// acting anyway. Each page is saved as a 1366×768 screenshot into docs/images/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryEntry } from '@bankswitch/app';
import { buildApiServer } from '../../api/src/index';
import { NEW_BUILD, OLD_BUILD, PREVIOUS_BUILD, startEngine, type Engine } from '../../../tools/src/demo/engine';
import { workspaceRoot } from '../../../tools/src/local-stack/index';
import { ensureWebBuilt } from '../../../tools/src/web/ensure-built';
import { launchBrowser } from './browser';

const FAULTY = 'webb-esx03';
const CANARY = 'weba-esx01';
const IMAGES = path.join(workspaceRoot, 'docs/images');
const run = Date.now().toString(36);
const campaignId = `web-${run}`;
const operator = `olivia-${run}`;
const auditor = `arthur-${run}`;

let engine: Engine;
let server: FastifyInstance;
let url: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const tokens = { operator: '', auditor: '' };
const browserErrors: string[] = [];

beforeAll(async () => {
  const built = ensureWebBuilt();
  engine = await startEngine({
    databaseUrl: process.env.DATABASE_URL!,
    temporalAddress: process.env.TEMPORAL_ADDRESS!,
    clusters: [
      { name: 'weba', hosts: 3 },
      { name: 'webb', hosts: 3 },
    ],
    // The canary reboots slowly, so that the campaign pauses with every other host still waiting.
    faults: { hosts: { [FAULTY]: { failBoot: true }, [CANARY]: { slowRebootMs: 6_000 } } },
    rebootMs: 1_000,
  });
  const app = engine.open.app;
  tokens.operator = (await app.createToken({ name: operator, role: 'operator', by: 'web-test' })).token;
  tokens.auditor = (await app.createToken({ name: auditor, role: 'auditor', by: 'web-test' })).token;
  await app.importHosts(fs.readFileSync(engine.fleet.inventoryPath, 'utf8'));
  // A first look at every host: its banks before the upgrade are in its history.
  await app.observeHosts({ by: 'web-test', hosts: engine.fleet.inventory.map((h) => h.id) });
  await built;
  server = await buildApiServer({ app, authenticate: engine.open.authenticate });
  url = await server.listen({ host: '127.0.0.1', port: 0 });
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  page = await context.newPage();
  page.setDefaultTimeout(20_000);
  page.on('pageerror', (error) => browserErrors.push(error.message));
  page.on('console', (message) => {
    // A refused request is logged by Chromium itself; the page's own errors are what count.
    if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) browserErrors.push(message.text());
  });
  fs.mkdirSync(IMAGES, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await engine?.stop();
});

const api = async (method: string, route: string, token: string, body?: unknown) => {
  const response = await fetch(`${url}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined };
};

const screenshot = (target: Page, name: string) => target.screenshot({ path: path.join(IMAGES, name) });
/** The value shown beside a term of the page's summary (State, Failure budget used, …). */
const fact = (target: Page, term: string) => target.locator(`.facts dt:text-is("${term}") + dd`);

async function signIn(target: Page, token: string) {
  await target.goto(url);
  await target.getByLabel('API token').fill(token);
  await target.getByRole('button', { name: 'Sign in' }).click();
}

describe('serving the dashboard', () => {
  it('serves the page and its assets without a token, with a policy that keeps it to its own origin', async () => {
    const index = await fetch(`${url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    const html = await index.text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect((await fetch(`${url}/assets/nothing-here.js`)).status).toBe(404);
    expect((await fetch(`${url}/assets/..%2f..%2fpackage.json`)).status).toBeGreaterThanOrEqual(400);
  });

  it('needs the token for its own API routes, the live stream included', async () => {
    expect((await fetch(`${url}/campaigns/${campaignId}/live`)).status).toBe(401);
    expect((await fetch(`${url}/campaign-launches`)).status).toBe(401);
    expect((await api('GET', '/campaigns/no-such-campaign/live', tokens.auditor)).status).toBe(404);
    expect((await api('GET', '/campaigns/no-such-campaign/timeline', tokens.auditor)).status).toBe(404);
  });

  it('says how to build the dashboard when it is not built, and builds nothing itself', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'bankswitch-web-'));
    const bare = Fastify();
    try {
      await bare.register(import('../../api/src/web'), { app: engine.open.app, webDir: empty });
      const answer = await bare.inject({ method: 'GET', url: '/' });
      expect(answer.statusCode).toBe(503);
      expect(answer.body).toContain('npx nx run @bankswitch/web:build');
      expect(fs.readdirSync(empty)).toEqual([]);
    } finally {
      await bare.close();
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('an operator', () => {
  it('signs in, and a token the API does not know is refused with a message', async () => {
    await page.goto(url);
    await page.getByLabel('API token').fill('bsw_not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/does not know this token/);
    await signIn(page, tokens.operator);
    await page.getByText(`Signed in as ${operator}`).waitFor();
    expect(await page.locator('header .who').textContent()).toContain('(operator)');
  });

  it('follows a campaign live, pauses and resumes it, and sees it end without reloading the page', async () => {
    const spec = engine.spec({ name: campaignId, clusters: ['weba', 'webb'], canary: 1, waves: ['50%', '100%'], maxInFlight: 2, failureBudget: 1 });
    expect((await api('POST', '/campaigns', tokens.operator, { spec })).status).toBe(201);

    await page.getByRole('link', { name: 'Campaigns' }).click();
    await page.getByRole('link', { name: campaignId }).click();
    await page.getByRole('heading', { level: 1, name: `Campaign ${campaignId}` }).waitFor();
    // Set in the page itself: a reload would lose it.
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
    await page.getByText('Live: this page updates').waitFor();
    await fact(page, 'State').getByText('running').waitFor();

    // The dialog is keyboard-first: Escape closes it and gives the focus back to its button.
    const pauseButton = page.getByRole('button', { name: 'Pause…' });
    await pauseButton.click();
    const pauseDialog = page.getByRole('dialog', { name: `Pause campaign ${campaignId}?` });
    await pauseDialog.waitFor();
    await page.keyboard.press('Escape');
    await pauseDialog.waitFor({ state: 'hidden' });
    expect(await pauseButton.evaluate((button) => button === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    expect(await pauseDialog.textContent()).toMatch(/No new host will start upgrading/);
    await pauseDialog.getByLabel('Reason (recorded with the pause)').fill('checking the canary');
    await pauseDialog.getByRole('button', { name: 'Pause campaign' }).click();
    await fact(page, 'State').getByText('paused').waitFor();
    await page.getByText('Paused: checking the canary').waitFor();
    const timeline = page.getByRole('region', { name: /^Timeline/ });
    await timeline.locator('li', { hasText: 'CampaignPaused' }).getByText(`by ${operator}`).waitFor();
    const paused = await engine.open.app.campaignStatus(campaignId);
    expect(paused.status).toBe('paused');
    expect(paused.progress.hosts.filter((h) => h.status === 'pending')).toHaveLength(5);

    await page.getByRole('button', { name: 'Resume…' }).click();
    const resumeDialog = page.getByRole('dialog', { name: `Resume campaign ${campaignId}?` });
    expect(await resumeDialog.textContent()).toMatch(/Hosts start upgrading again, at most 2 at a time/);
    await resumeDialog.getByRole('button', { name: 'Resume campaign' }).click();
    await timeline.locator('li', { hasText: 'CampaignResumed' }).waitFor();

    await fact(page, 'State').getByText('completed').waitFor({ timeout: 150_000 });
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);

    const ended = await engine.open.app.campaignStatus(campaignId);
    expect(ended.status).toBe('completed');
    const faulty = ended.progress.hosts.find((h) => h.hostId === FAULTY)!;
    expect(faulty.status).toBe('fell-back');
    const tiles = page.locator('.host-grid li');
    expect(await tiles.count()).toBe(6);
    expect(await tiles.filter({ hasText: FAULTY }).textContent()).toContain('fell back');
    expect(await page.getByRole('list', { name: 'Canary (wave 0)' }).textContent()).toMatch(new RegExp(`^${CANARY}upgraded`));
    expect(await fact(page, 'Failure budget used').textContent()).toContain('1 / 1');
    expect(await fact(page, 'In flight').textContent()).toBe('0');
    const failed = page.getByRole('region', { name: 'Failed hosts' });
    expect(await failed.textContent()).toContain(faulty.reason!);
    await timeline.locator('li', { hasText: 'CampaignCompleted' }).waitFor();
    // An operator is offered the retry of the host that failed (the auditor below is not).
    expect(await page.getByRole('button', { name: 'Retry failed hosts…' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Pause…' }).count()).toBe(0);
    await screenshot(page, 'campaign.png');

    await page.getByRole('link', { name: 'Campaigns' }).click();
    const row = page.getByRole('row', { name: new RegExp(campaignId) });
    await row.waitFor();
    const text = await row.textContent();
    expect(text).toContain('completed');
    expect(text).toContain(operator);
    expect(text).toContain('6 / 6 done');
    expect(text).toContain(NEW_BUILD);
    await screenshot(page, 'campaigns.png');
  });

  it('opens the host that fell back: its bank timeline, an event, the boot log, its banks before the upgrade, and observes it', async () => {
    const history = (await engine.open.app.hostHistory(FAULTY)).entries;
    await page.getByRole('link', { name: campaignId }).click();
    await page.locator('.host-grid').getByRole('link', { name: new RegExp(FAULTY) }).click();
    await page.getByRole('heading', { level: 1, name: `Host ${FAULTY}` }).waitFor();
    // This worker trusts no image keys: the image staged last had no signature checked.
    expect(await fact(page, 'Last staged image').textContent()).toMatch(new RegExp(`^${NEW_BUILD} in bank \\d, signature not checked$`));

    const picture = page.getByRole('group', { name: new RegExp(`^Bank timeline of ${FAULTY}`) });
    await picture.waitFor();
    const marks = picture.getByRole('button');
    expect(await marks.count()).toBe(history.length);
    expect(await picture.locator('text.lane-label').allTextContents()).toEqual(['bank 0', 'bank 1']);
    const fellBack = history.find((e) => e.type === 'BootFellBack')!;
    await picture.getByRole('button', { name: /^BootFellBack at/ }).click();
    const details = page.getByRole('article');
    expect(await details.getByRole('heading').textContent()).toContain('BootFellBack');
    expect(await details.textContent()).toContain(fellBack.summary);
    // The arrow keys move between the events.
    await page.keyboard.press('ArrowRight');
    const next = history[history.indexOf(fellBack) + 1]!;
    expect(await details.getByRole('heading').textContent()).toContain(next.type);
    await page.keyboard.press('ArrowLeft');
    // A staged image's details say which trusted key signed it and whether it was a downgrade.
    await picture.getByRole('button', { name: /^ImageStaged at/ }).first().click();
    expect(await details.locator('dt:text-is("Signed by") + dd').textContent()).toBe('not checked (the worker trusted no image keys)');
    expect(await details.locator('dt:text-is("Downgrade") + dd').textContent()).toBe('no');

    const bootLog = page.getByRole('region', { name: "Failed boot's log" });
    expect(await bootLog.locator('pre').textContent()).toMatch(/BlueScreen.*failBoot/);
    const now = page.getByRole('region', { name: 'Banks now' });
    expect(await now.textContent()).toContain('Cannot roll back');
    expect(await now.getByRole('row', { name: /bank 1/ }).textContent()).toMatch(new RegExp(`${NEW_BUILD}.*INVALID`));
    expect(await page.getByRole('button', { name: 'Roll back…' }).count()).toBe(0);

    // Time travel: between the first look at the host and its upgrade.
    const upgradeStarted = history.find((e: HistoryEntry) => e.type === 'UpgradeStarted')!;
    const before = new Date((Date.parse(history[0]!.at) + Date.parse(upgradeStarted.at)) / 2).toISOString();
    const travel = page.getByRole('region', { name: 'Banks at an instant' });
    await travel.getByLabel('Instant (your local time, or ISO 8601)').fill(before);
    await travel.getByRole('button', { name: 'Show the banks then' }).click();
    const then = travel.locator('table.banks');
    await then.waitFor();
    expect(await then.getByRole('row', { name: /bank 0/ }).textContent()).toMatch(new RegExp(`${OLD_BUILD}.*VALID.*booted`));
    expect(await then.getByRole('row', { name: /bank 1/ }).textContent()).toMatch(new RegExp(`${PREVIOUS_BUILD}.*VALID`));
    expect(await travel.textContent()).toContain(`Can roll back: to bank 1, build ${PREVIOUS_BUILD}`);
    await travel.getByLabel('Instant (your local time, or ISO 8601)').fill('not a time');
    await travel.getByRole('button', { name: 'Show the banks then' }).click();
    expect(await travel.getByRole('alert').textContent()).toMatch(/is not a time/);
    await travel.getByLabel('Instant (your local time, or ISO 8601)').fill(before);
    await travel.getByRole('button', { name: 'Show the banks then' }).click();
    await picture.getByRole('button', { name: /^BootFellBack at/ }).click();
    await page.getByRole('heading', { level: 1 }).scrollIntoViewIfNeeded();
    await screenshot(page, 'host.png');

    await page.getByRole('button', { name: 'Observe…' }).click();
    const dialog = page.getByRole('dialog', { name: `Observe ${FAULTY} now?` });
    expect(await dialog.textContent()).toMatch(/Nothing on the host changes/);
    await dialog.getByRole('button', { name: 'Observe', exact: true }).click();
    await page.getByText(`observe of host ${FAULTY} done`).waitFor({ timeout: 60_000 });
    await picture.getByRole('button').nth(history.length).waitFor();
    expect(await marks.count()).toBeGreaterThan(history.length);
  });

  it('lists the fleet, filtered by cluster and by label', async () => {
    await page.getByRole('link', { name: 'Fleet', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Fleet' }).waitFor();
    const rows = page.locator('table.list tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(6);
    expect(await rows.filter({ hasText: FAULTY }).textContent()).toMatch(new RegExp(`${OLD_BUILD}.*no`));
    expect(await rows.filter({ hasText: CANARY }).textContent()).toContain(`yes, to ${OLD_BUILD}`);
    await screenshot(page, 'fleet.png');

    await page.getByLabel('Cluster').selectOption('webb');
    await page.getByText('3 of 6 hosts shown').waitFor();
    expect((await rows.allTextContents()).every((t) => t.includes('webb'))).toBe(true);
    await page.getByLabel('Cluster').selectOption('');
    await page.getByLabel('Label').selectOption('cluster=weba');
    await page.getByText('3 of 6 hosts shown').waitFor();
    expect((await rows.allTextContents()).every((t) => t.includes('weba'))).toBe(true);
    expect(page.url()).toContain('#/fleet?label=cluster%3Dweba');
    expect(browserErrors).toEqual([]);
  });
});

describe('the live stream', () => {
  it('sends the campaign view and its events, stops reading once the client goes away, and ends when the API stops', async () => {
    let reads = 0;
    const counted = { ...engine.open.app, campaignStatus: (id: string) => (reads++, engine.open.app.campaignStatus(id)) };
    const bare = Fastify();
    await bare.register(import('../../api/src/web'), { app: counted, pollMs: 50 });
    const bareUrl = await bare.listen({ host: '127.0.0.1', port: 0 });
    const readUntil = async (reader: ReadableStreamDefaultReader<string>, done: (text: string) => boolean) => {
      let text = '';
      while (!done(text)) {
        const chunk = await reader.read();
        if (chunk.done) break;
        text += chunk.value;
      }
      return text;
    };
    try {
      const abort = new AbortController();
      const response = await fetch(`${bareUrl}/campaigns/${campaignId}/live`, { signal: abort.signal });
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const text = await readUntil(response.body!.pipeThrough(new TextDecoderStream()).getReader(), (t) => t.includes('event: view') && t.includes('event: events'));
      const view = JSON.parse(/event: view\ndata: (.*)\n/.exec(text)![1]!);
      expect(view).toMatchObject({ campaignId, status: 'completed' });
      const events = JSON.parse(/event: events\ndata: (.*)\n/.exec(text)![1]!) as { type: string }[];
      expect(events[0]!.type).toBe('CampaignLaunched');
      abort.abort();
      await new Promise((r) => setTimeout(r, 300));
      const afterLeaving = reads;
      await new Promise((r) => setTimeout(r, 600));
      expect(reads).toBe(afterLeaving);

      const open = await fetch(`${bareUrl}/campaigns/${campaignId}/live`);
      const reader = open.body!.pipeThrough(new TextDecoderStream()).getReader();
      await readUntil(reader, (t) => t.includes('event: view'));
      await bare.close();
      expect((await reader.read()).done).toBe(true);
    } finally {
      await bare.close();
    }
  });
});

describe('an auditor', () => {
  it('reads the campaign and the host but is offered no action, and a direct POST is refused 403', async () => {
    const reader = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    try {
      const auditorPage = await reader.newPage();
      auditorPage.setDefaultTimeout(20_000);
      // Signed in with the keyboard alone; the focused field shows where the focus is.
      await auditorPage.goto(url);
      await auditorPage.getByRole('heading', { name: 'Sign in to Bankswitch' }).waitFor();
      await auditorPage.keyboard.press('Tab');
      expect(await auditorPage.evaluate(() => document.activeElement === document.querySelector('input[type=password]'))).toBe(true);
      expect(await auditorPage.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).toBe('solid');
      await auditorPage.keyboard.type(tokens.auditor);
      await auditorPage.keyboard.press('Enter');
      await auditorPage.getByText(`Signed in as ${auditor}`).waitFor();
      expect(await auditorPage.locator('header .who').textContent()).toContain('auditor: read only');

      await auditorPage.getByRole('link', { name: campaignId }).click();
      await fact(auditorPage, 'State').getByText('completed').waitFor();
      await auditorPage.getByRole('region', { name: 'Failed hosts' }).getByText(FAULTY).waitFor();
      expect(await auditorPage.getByText('You are signed in as an auditor').count()).toBe(1);
      expect(await auditorPage.getByRole('group', { name: 'Campaign actions' }).count()).toBe(0);
      expect(await auditorPage.getByRole('button', { name: /^(Retry failed hosts|Pause|Resume|Approve next wave|Cancel campaign)…$/ }).count()).toBe(0);

      await auditorPage.locator('.host-grid').getByRole('link', { name: new RegExp(FAULTY) }).click();
      await auditorPage.getByRole('group', { name: new RegExp(`^Bank timeline of ${FAULTY}`) }).waitFor();
      expect(await auditorPage.getByRole('group', { name: 'Host actions' }).count()).toBe(0);
      expect(await auditorPage.getByRole('button', { name: /^(Observe|Roll back|Abandon staged image)…$/ }).count()).toBe(0);

      const refused = await auditorPage.evaluate(
        async ({ token, id }) => {
          const response = await fetch(`/campaigns/${id}/retry`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
          return { status: response.status, body: (await response.json()) as { message: string } };
        },
        { token: tokens.auditor, id: campaignId },
      );
      expect(refused.status).toBe(403);
      expect(refused.body.message).toContain(`${auditor} is an auditor`);
    } finally {
      await reader.close();
    }
  });
});
