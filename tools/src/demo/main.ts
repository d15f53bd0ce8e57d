// `npm run demo`: the whole engine on one machine in one command. Starts the local stack
// (PostgreSQL, Temporal with its UI), a worker process, the HTTP API process and a
// simulated fleet of 12 hosts in two clusters, one of which cannot boot the new build.
// Imports the inventory and launches a rolling campaign through the application layer,
// shows its progress, and ends with a summary and the bank history of the host that fell
// back; then an operator holds Shift+R at one host's console, and the drift watch finds
// it. Exits 0 when all went as expected (completed, that one host fell back, every other
// host upgraded, the Shift+R found as drift); `--keep` keeps everything up until Ctrl-C.
// `--driver ssh`: the engine reaches the hosts over SSH, as it reaches real ESXi hosts
// (esxcli, pinned host keys); by default, over the simulated hosts' HTTP API.
// `--production`: on the production-shaped stack, the full Temporal server on PostgreSQL,
// with three worker processes (docs/production.md).
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CampaignProgress, CampaignView } from '@bankswitch/app';
import { startLocalStack, type LocalStack } from '../local-stack/index';
import { ensureWebBuilt } from '../web/ensure-built';
import { startApi, startEngine, stopWorker, workerHttpOf, type Engine } from './engine';

const FAULTY = 'west-esx04';
const CONSOLE = 'east-esx02';
const DRIVERS = { http: 'http', ssh: 'esxi-ssh', 'esxi-ssh': 'esxi-ssh' } as const;
const args = parseArgs({ options: { keep: { type: 'boolean', default: false }, driver: { type: 'string', default: 'http' }, production: { type: 'boolean', default: false } } }).values;
const keep = args.keep;
// `--production`: the full Temporal server on PostgreSQL and three worker processes, as production runs them (docs/production.md).
const production = args.production;
const WORKERS = production ? 3 : 1;
const driverArg = args.driver as keyof typeof DRIVERS;
if (!(driverArg in DRIVERS)) {
  console.error(`demo: --driver ${String(args.driver)} is not a driver: use --driver http (the default) or --driver ssh`);
  process.exit(2);
}
const driver = DRIVERS[driverArg];
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const say = (line = '') => console.log(line);

let stack: LocalStack | undefined;
let engine: Engine | undefined;
let api: ChildProcess | undefined;
let stopping: Promise<void> | undefined;

/** Stops everything this demo started, once, in reverse order. */
function stopAll(): Promise<void> {
  stopping ??= (async () => {
    if (api) await stopWorker(api);
    await engine?.stop().catch((e: unknown) => console.error('stopping the engine:', e));
    await stack?.stop();
  })();
  return stopping;
}
process.once('SIGINT', () => {
  say('\nCtrl-C: stopping everything the demo started…');
  void stopAll().finally(() => process.exit(130));
});

const finished = (status: string) => status !== 'pending' && status !== 'running';
const outcomes = (counts: Readonly<Record<string, number | undefined>>) =>
  Object.entries(counts)
    .map(([outcome, n]) => `${n} ${outcome}`)
    .join(', ');

function progressText(p: CampaignProgress): string {
  const done = p.hosts.filter((h) => finished(h.status)).length;
  const waves = p.waves.map((w) => `${w.kind === 'canary' ? 'canary' : `wave ${w.index}`} ${Object.entries(w.counts).map(([s, n]) => `${n} ${s}`).join(' ')}`).join(' | ');
  return `${p.status.padEnd(9)} done ${String(done).padStart(2)}/${p.hosts.length}  in flight ${p.inFlight}  failed ${p.failed}/${p.failureBudget}   ${waves}`;
}

async function follow(engineRef: Engine, campaignId: string): Promise<CampaignView> {
  const app = engineRef.open.app;
  const seen = new Set<string>();
  let last = '';
  for (;;) {
    const view = await app.campaignStatus(campaignId);
    const p = view.progress!;
    for (const h of p.hosts) {
      if (finished(h.status) && !seen.has(h.hostId)) {
        seen.add(h.hostId);
        say(`  [${elapsed()}] ${h.hostId.padEnd(11)} ${h.status}${h.reason ? ` — ${h.reason}` : ''}`);
      }
    }
    const line = progressText(p);
    if (line !== last) say(`  [${elapsed()}] ${line}`);
    last = line;
    if (!view.running) return view;
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function main(): Promise<number> {
  say(`Bankswitch demo: a rolling A/B boot-bank upgrade of 12 simulated ESXi hosts, reached ${driver === 'esxi-ssh' ? 'over SSH as ESXi answers it (esxcli, pinned host keys)' : 'over their HTTP API'}`);
  say(
    production
      ? 'Starting the production-shaped local stack (PostgreSQL; the full Temporal server on PostgreSQL for persistence and visibility)…'
      : `Starting the local stack (PostgreSQL, Temporal${process.env.TEMPORAL_ADDRESS ? '' : ' + UI'})…`,
  );
  stack = production ? await startLocalStack({ name: 'demo-production', temporal: 'server', log: (line) => say(`  ${line}`) }) : await startLocalStack({ name: 'demo', ui: true });
  for (const line of stack.describe()) say(`  ${line}`);

  say(`Starting ${production ? 'three worker processes' : 'a worker process'} and 12 simulated hosts in clusters east and west (${FAULTY} cannot boot the new build)…`);
  engine = await startEngine({
    databaseUrl: stack.databaseUrl,
    temporalAddress: stack.temporalAddress,
    clusters: [{ name: 'east', hosts: 6 }, { name: 'west', hosts: 6 }],
    faults: { hosts: { [FAULTY]: { failBoot: true } } },
    rebootMs: 200,
    taskQueue: `bankswitch-demo-${process.pid}`,
    operator: 'demo',
    driver,
    workers: WORKERS,
    // Production-shaped: each worker serves /healthz, /readyz and /metrics on a port of its own.
    ...(production ? { workerEnv: { BANKSWITCH_WORKER_HTTP_PORT: '0' } } : {}),
  });
  await ensureWebBuilt({ log: (line) => say(`  ${line}`) });
  const apiStarted = await startApi(engine.env, path.join(engine.dir, 'api.log'));
  api = apiStarted.child;
  // Token names are never reused (each is the operator recorded in the history) and the
  // demo's database outlives a run: one suffix per run.
  const run = Date.now().toString(36);
  const operatorToken = (await engine.open.app.createToken({ name: `demo-${run}`, role: 'operator', by: 'demo' })).token;
  const auditorToken = (await engine.open.app.createToken({ name: `auditor-${run}`, role: 'auditor', by: 'demo' })).token;
  say(`  ${WORKERS > 1 ? `${WORKERS} workers (pids ${engine.workers.map((w) => w.pid).join(', ')})` : 'worker'} on task queue ${engine.taskQueue}; fleet in ${engine.fleet.dir}`);
  if (production) say(`  workers' health and metrics: ${engine.workers.map((w) => workerHttpOf.get(w) ?? '(none)').join(', ')}`);
  say(`  API         ${apiStarted.url}  (OpenAPI ${apiStarted.url}/openapi.json, docs ${apiStarted.url}/docs)`);
  say(`  Dashboard   ${apiStarted.url}/  sign in with the operator token (demo-${run}): ${operatorToken}`);
  say(`              or the auditor token (auditor-${run}), who may only read: ${auditorToken}`);
  say(`  ready after ${elapsed()}`);

  const app = engine.open.app;
  const imported = await app.importHosts(fs.readFileSync(engine.fleet.inventoryPath, 'utf8'));
  say(`\nImported the inventory: ${imported.created.length} new, ${imported.updated.length} updated, ${imported.unchanged.length} unchanged hosts.`);
  // A first look at every host: its banks become its baseline (or, in a database that knew other hosts by these names, the drift is recorded), so that the plan reads them as they are.
  const fleetIds = new Set(engine.fleet.inventory.map((h) => h.id));
  const first = await app.observeHosts({ by: 'demo', hosts: [...fleetIds] });
  say(`Read every host first (bankswitch hosts observe): ${outcomes(first.counts)}.`);

  const campaignId = `demo-${Date.now().toString(36)}`;
  const spec = engine.spec({ name: campaignId, clusters: ['east', 'west'], canary: 1, waves: ['50%', '100%'], maxInFlight: 4, failureBudget: 1, reboot: '20s' });
  const specPath = path.join(engine.dir, 'campaign.yaml');
  fs.writeFileSync(specPath, spec);
  const launched = await app.launchCampaign(spec, { by: 'demo', specDir: engine.dir });
  say(`\nPlan (${specPath}):`);
  for (const line of (launched.plan?.text ?? '').split('\n')) say(`  ${line}`);
  say(`\n${launched.message}; operator "demo" is recorded with every event.`);
  say('Progress:');
  const ended = await follow(engine, campaignId);

  const hosts = ended.progress!.hosts;
  const by = (status: string) => hosts.filter((h) => h.status === status).map((h) => h.hostId);
  say(`\nSummary: campaign ${campaignId} ${ended.status} after ${elapsed()}`);
  say(`  upgraded:  ${by('upgraded').length} hosts`);
  say(`  fell back: ${by('fell-back').join(', ') || 'none'} (within the failure budget of ${ended.progress!.failureBudget})`);
  const others = hosts.filter((h) => h.status !== 'upgraded' && h.status !== 'fell-back');
  if (others.length) say(`  other:     ${others.map((h) => `${h.hostId} ${h.status}`).join(', ')}`);

  const history = await app.hostHistory(FAULTY);
  say(`\nBank history of ${FAULTY}, the host that fell back:`);
  for (const e of history.entries) {
    say(`  ${e.at}  ${e.type.padEnd(17)} ${e.summary}`);
    say(`  ${' '.repeat(24)}  campaign ${e.campaignId ?? '-'}, operator ${e.operator ?? '-'}, workflow ${e.workflowId ?? '-'}`);
  }
  const shown = await app.showHost(FAULTY);
  const standing = shown.banks?.standing;
  say(`  now: booted ${shown.banks?.bootedBuild ?? '?'}; rollback ${shown.banks?.rollBackTo ? `to ${shown.banks.rollBackTo.build}` : 'not possible (the new build in the other bank is INVALID)'}; standing ${standing ? standing.state : 'unknown'}`);
  say(`\nAn operator holds Shift+R at the console of ${CONSOLE} (the loader boots its previous image); the drift watch finds it:`);
  const before = await app.showHost(CONSOLE);
  await engine.fleet.admin.shiftR(CONSOLE);
  let observed = await app.observeHosts({ by: 'demo', cluster: 'east' });
  for (let i = 0; i < 100 && !observed.hosts.some((h) => h.hostId === CONSOLE && h.outcome === 'drifted'); i++) {
    await new Promise((r) => setTimeout(r, 200));
    observed = await app.observeHosts({ by: 'demo', cluster: 'east' });
  }
  say(`  bankswitch hosts observe --cluster east: ${outcomes(observed.counts)}`);
  for (const h of observed.hosts) say(`  ${h.hostId.padEnd(11)} ${h.outcome}: ${h.differences?.map((d) => `${d.subject} ${d.expected}→${d.observed}`).join('; ') ?? h.detail ?? ''}`);
  const drifted = (await app.listHosts({ drifted: true })).map((h) => h.id).filter((id) => fleetIds.has(id));
  say(`  bankswitch hosts --drifted: ${drifted.join(', ') || 'none'} (was on ${before.banks?.bootedBuild ?? '?'}; \`bankswitch host observe ${CONSOLE}\` acknowledges it)`);

  say(`\nWhile it is up (--keep): curl -s -H 'Authorization: Bearer ${auditorToken}' ${apiStarted.url}/hosts/${FAULTY}/history`);
  say(`  BANKSWITCH_SERVER=${apiStarted.url} BANKSWITCH_TOKEN=${auditorToken} npx bankswitch campaign status ${campaignId}`);

  const campaignAsExpected = ended.status === 'completed' && by('fell-back').join() === FAULTY && by('upgraded').length === hosts.length - 1;
  const driftAsExpected = drifted.join() === CONSOLE;
  const expected = campaignAsExpected && driftAsExpected;
  if (expected) say(`\nThe demo ended as expected (${elapsed()}).`);
  if (!campaignAsExpected) say(`\nUNEXPECTED: the demo expected "completed" with only ${FAULTY} fallen back.`);
  if (!driftAsExpected) say(`\nUNEXPECTED: the demo expected the drift watch to find ${CONSOLE} (and only it) drifted; it found ${drifted.join(', ') || 'none'}.`);
  if (keep) {
    say('--keep: everything stays up; Ctrl-C stops it.');
    await new Promise(() => {});
  }
  return expected ? 0 : 1;
}

let code = 1;
try {
  code = await main();
} catch (error) {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await stopAll();
  say(`Stopped everything the demo started (${elapsed()} in all).`);
}
process.exit(code);
