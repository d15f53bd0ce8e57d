// `npm run bench:scale -- --hosts N --in-flight M --reboot-s S`: the engine on the production
// shape (PostgreSQL, the full Temporal server on it, three worker processes, the API; or
// the Temporal dev server with --dev-server) upgrades N simulated hosts
// (many per agent process), M at a time, each reboot taking S seconds. The campaign is
// launched and followed through the API, as an operator would. Prints hosts/s, the
// engine's overhead per host from the recorded events (p50, p99; where it goes, step by
// step), peak memory and CPU per component (sampled from /proc every second), and the
// campaign workflow's Temporal history (size, runs through continue-as-new). Last line:
// `scale: <N> hosts, <x> hosts/s, overhead p99 <y> s, peak memory <z> MiB`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { appConfigFromEnv, openBankswitchApp, type CampaignView } from '@bankswitch/app';
import { createPrismaClient } from '@bankswitch/event-store';
import { campaignStream, hostStream } from '@bankswitch/records';
import { campaignWorkflowId, hostWorkflowId } from '@bankswitch/workflows';
import { NEW_BUILD, OLD_BUILD, PREVIOUS_BUILD, specYaml } from '../demo/engine';
import { launchFleet, type Fleet } from '../fleet/index';
import { writeImage } from './image';
import { startSampler, type ComponentGroup, type SamplerReport } from './process-sampler';
import { startScaleStack, type ScaleStack } from './scale-stack';
import { hostOverheads, percentile, phaseFigures, scaleLine, type EventRow } from './scale-stats';
import { campaignRuns, hostWorkflowHistory } from './temporal-history';

const int = (v: string) => Number.parseInt(v, 10);
const options = new Command('bench:scale')
  .option('--hosts <n>', 'simulated hosts in the campaign', int, 100)
  .option('--in-flight <n>', 'hosts upgraded at once (maxInFlight)', int, 50)
  .option('--reboot-s <s>', 'seconds each reboot takes', Number, 5)
  .option('--hosts-per-process <n>', 'simulated hosts per agent process', int, 2500)
  .option('--workers <n>', 'worker processes', int, 3)
  .option('--dev-server', "the Temporal CLI's dev server instead of the full Temporal server on PostgreSQL (production's shape)")
  .option('--canary <n>', 'hosts in the canary wave (before the one wave of the rest)', int, 1)
  .option('--max-activities <n>', "each worker's BANKSWITCH_MAX_ACTIVITIES (default: its share of the hosts in flight + 64)", int)
  .option('--db-pool <n>', "each worker's BANKSWITCH_DB_POOL, database connections (default 16)", int, 16)
  .option('--cpu-prof', 'profile the workers (node --cpu-prof, every thread; kept in the run folder)')
  .option('--follow-s <s>', 'seconds between two reads of the campaign through the API', Number, 10)
  // Below the kernel's ephemeral range (32768–60999): a rebooting host's closed port is
  // not taken meanwhile by an outgoing connection or another program's free-port pick.
  .option('--port-base <n>', 'the simulated hosts listen on this port and the ones after it, one each (0: ports the kernel picks)', int, 12000)
  .parse()
  .opts<{ hosts: number; inFlight: number; rebootS: number; hostsPerProcess: number; workers: number; canary: number; maxActivities?: number; dbPool: number; devServer?: boolean; cpuProf?: boolean; followS: number; portBase: number }>();

const say = (line = '') => console.log(line);
const mib = (v: number) => `${Math.round(v)}`.padStart(7);
const secs = (ms: number) => (Number.isNaN(ms) ? '-' : (ms / 1000).toFixed(2)).padStart(8);
const runStarted = Date.now();
const elapsed = () => `${((Date.now() - runStarted) / 1000).toFixed(0)} s`.padStart(6);

const rebootMs = Math.round(options.rebootS * 1000);
// The engine gives up on a host that has not come back within this (the spec's reboot timeout).
const rebootTimeoutS = Math.ceil(options.rebootS + Math.max(60, options.rebootS));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bankswitch-scale-'));
const stamp = Date.now().toString(36);
const campaignId = `scale-${stamp}`;
// Every host in flight spends most of its time in one activity (waiting for its reboot),
// so each worker takes its share of them, plus room for the short steps and the
// campaign's appends; those waits hold no database connection, so the pool stays small.
const maxActivities = options.maxActivities ?? Math.ceil(options.inFlight / options.workers) + 64;
const workerEnv: Record<string, string> = { BANKSWITCH_MAX_ACTIVITIES: String(maxActivities), BANKSWITCH_DB_POOL: String(options.dbPool) };

say(`bench:scale: ${options.hosts} hosts (${options.hostsPerProcess} per agent process), ${options.inFlight} in flight, ${options.rebootS} s reboots`);
say(`  ${options.workers} workers, each with BANKSWITCH_MAX_ACTIVITIES=${maxActivities} BANKSWITCH_DB_POOL=${options.dbPool}`);
say(`machine: ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, load average ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} at start`);
say(`run folder: ${dir}`);

let stack: ScaleStack | undefined;
let fleet: Fleet | undefined;
let exitCode = 0;
try {
  const fleetStarted = performance.now();
  const fleetStarting = launchFleet({
    dir,
    clusters: [{ name: 'scale', hosts: options.hosts }],
    rebootMs,
    hostsPerProcess: options.hostsPerProcess,
    baseBuild: OLD_BUILD,
    previousBuild: PREVIOUS_BUILD,
    upTimeoutMs: 600_000,
    ...(options.portBase ? { portBase: options.portBase } : {}),
  });
  [stack, fleet] = await Promise.all([
    startScaleStack({
      name: 'bench-scale',
      temporal: options.devServer ? 'dev' : 'server',
      dir,
      workers: options.workers,
      taskQueue: `bankswitch-scale-${stamp}`,
      workerEnv,
      // The fleet listens there; without this, a Temporal membership port picked from
      // 20,000 up took a host's port in a 10,000-host run (listen EADDRINUSE at its start).
      ...(options.portBase ? { reservedPorts: { from: options.portBase, to: options.portBase + options.hosts } } : {}),
      // Every thread's profile: the main one (activities, Temporal Core's bridge) and the workflow thread.
      ...(options.cpuProf ? { workerNodeArgs: ['--cpu-prof', `--cpu-prof-dir=${path.join(dir, 'profiles')}`] } : {}),
    }),
    fleetStarting,
  ]);
  for (const line of stack.describe()) say(`  ${line}`);
  say(`  Fleet       ${fleet.inventory.length} hosts in ${fleet.agents.length} agent processes, up after ${((performance.now() - fleetStarted) / 1000).toFixed(1)} s`);
  exitCode = await run(stack, fleet);
} catch (error) {
  console.error(`bench:scale failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  exitCode = 1;
} finally {
  await fleet?.stop().catch((e: unknown) => console.error('stopping the fleet:', e));
  await stack?.stop().catch((e: unknown) => console.error('stopping the stack:', e));
  if (options.cpuProf) say(`worker profiles: ${path.join(dir, 'profiles')}`);
  else fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(exitCode);

async function run(stack: ScaleStack, fleet: Fleet): Promise<number> {
  const api = apiClient(stack.apiUrl, await operatorToken(stack));
  // The inventory through the API, as `bankswitch hosts import` sends it (at most 5,000 hosts a request).
  for (let i = 0; i < fleet.inventory.length; i += 2_000) await api.post('/hosts/import', fleet.inventory.slice(i, i + 2_000));
  const image = writeImage(dir, NEW_BUILD);
  const spec = specYaml(
    { name: campaignId, clusters: ['scale'], canary: options.canary, waves: ['100%'], maxInFlight: options.inFlight, failureBudget: 0, reboot: `${rebootTimeoutS}s` },
    image,
  );

  const agents: ComponentGroup = { name: `simulated hosts (${fleet.agents.length} agents)`, pids: () => fleet.agents.flatMap((a) => (a.pid === null ? [] : [a.pid])) };
  const sampler = startSampler([...stack.components, agents]);
  let report: SamplerReport;
  let view: CampaignView;
  try {
    say(`\n[${elapsed()}] launching ${campaignId} through the API`);
    await api.post('/campaigns', { spec });
    view = await follow(api);
  } finally {
    report = sampler.stop();
  }
  say(`[${elapsed()}] ${view.status}: ${countsText(view)}`);

  const prisma = createPrismaClient(stack.databaseUrl, { maxConnections: 2 });
  let rows: EventRow[];
  let window: { launched: number; ended: number };
  try {
    rows = await eventRows(prisma);
    window = await campaignWindow(prisma);
  } finally {
    await prisma.$disconnect();
  }
  const overheads = hostOverheads(rows, { campaignStreamId: campaignStream(campaignId), rebootMs, waitsMs: 0, isHostStream: (id) => id.startsWith(hostStream('')) });
  const runs = await campaignRuns(stack.temporalAddress, campaignWorkflowId(campaignId));
  const hostHistory = await hostWorkflowHistory(stack.temporalAddress, hostWorkflowId(fleet.inventory[0]!.id));

  const upgraded = view.progress.hosts.filter((h) => h.status === 'upgraded').length;
  const wallS = (window.ended - window.launched) / 1000;
  const hostsPerSecond = upgraded / wallS;
  const overheadMs = overheads.hosts.map((h) => h.overheadMs);
  const ideal = options.rebootS * (Math.ceil(options.canary / options.inFlight) + Math.ceil((options.hosts - options.canary) / options.inFlight));

  say('\nThroughput');
  say(`  campaign   ${wallS.toFixed(1)} s from CampaignLaunched to its end (recorded times): ${upgraded} of ${options.hosts} hosts upgraded, ${hostsPerSecond.toFixed(2)} hosts/s`);
  say(`  reboots alone, ${options.inFlight} at a time after a canary of ${options.canary}: ${ideal.toFixed(0)} s, ${(options.hosts / ideal).toFixed(2)} hosts/s`);
  say('\nPer host (from the events: HostStarted in the campaign → its end in both the campaign and the host history)');
  say(`  ${'figure'.padEnd(58)} ${'p50 s'.padStart(8)} ${'p99 s'.padStart(8)} ${'max s'.padStart(8)}`);
  const row = (name: string, values: readonly number[]) => say(`  ${name.padEnd(58)} ${secs(percentile(values, 50))} ${secs(percentile(values, 99))} ${secs(values.length ? Math.max(...values) : Number.NaN)}`);
  row('span (HostStarted → ended)', overheads.hosts.map((h) => h.spanMs));
  row('UpgradeStarted → UpgradeEnded (the host history alone)', overheads.hosts.map((h) => h.upgradeMs));
  row(`overhead: span − ${options.rebootS} s reboot − configured waits (none)`, overheadMs);
  say('  where the overhead goes, step by step:');
  for (const phase of phaseFigures(overheads.hosts, rebootMs)) say(`    ${`${phase.from} → ${phase.to}`.padEnd(56)} ${secs(phase.p50)} ${secs(phase.p99)} ${secs(phase.max)}  ${phase.what}`);
  if (overheads.incomplete.length) say(`  ${overheads.incomplete.length} hosts without a complete record: ${overheads.incomplete.slice(0, 10).join(', ')}…`);

  say(`\nMemory (PSS, peak of 1 s samples) and CPU per component, over the campaign (${report.seconds.toFixed(0)} s, ${report.samples} samples)`);
  say(`  ${'component'.padEnd(32)} ${'peak MiB'.padStart(9)} ${'end MiB'.padStart(8)} ${'CPU s'.padStart(8)} ${'cores'.padStart(6)} ${'procs'.padStart(6)}`);
  for (const c of report.components) {
    say(`  ${c.name.padEnd(32)} ${mib(c.peakMiB).padStart(9)} ${mib(c.lastMiB).padStart(8)} ${c.cpuSeconds.toFixed(1).padStart(8)} ${(c.cpuSeconds / report.seconds).toFixed(2).padStart(6)} ${String(c.processesAtPeak).padStart(6)}`);
  }
  const cpuTotal = report.components.reduce((sum, c) => sum + c.cpuSeconds, 0);
  say(`  ${'all processes together'.padEnd(32)} ${mib(report.peakTotalMiB).padStart(9)} ${''.padStart(8)} ${cpuTotal.toFixed(1).padStart(8)} ${(cpuTotal / report.seconds).toFixed(2).padStart(6)}`);
  const engineOnly = report.components.filter((c) => c !== report.components.at(-1));
  say(`  (engine alone, without the simulated hosts: peak ≤ ${Math.round(engineOnly.reduce((s, c) => s + c.peakMiB, 0))} MiB, the sum of its components' peaks)`);

  say('\nTemporal');
  say(`  campaign workflow ${campaignWorkflowId(campaignId)}: ${runs.length} runs (${runs.length - 1} continue-as-new), ${runs.reduce((s, r) => s + r.length, 0)} history events, ${(runs.reduce((s, r) => s + r.bytes, 0) / 2 ** 20).toFixed(1)} MiB in all`);
  say(`    per run: ${runs.map((r) => `${r.length} events / ${(r.bytes / 2 ** 20).toFixed(1)} MiB`).join(', ')}`);
  const tasks = runs.flatMap((r) => (r.tasks ? [r.tasks] : []));
  const sum = (key: keyof NonNullable<(typeof runs)[number]['tasks']>) => tasks.reduce((total, t) => total + t[key], 0);
  const s1 = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  say(`    its tasks, one at a time: ${sum('workflowTasks')} workflow tasks (waiting ${s1(sum('workflowTaskWaitMs'))}, running ${s1(sum('workflowTaskRunMs'))}),`);
  say(`      ${sum('activities')} activities (waiting ${s1(sum('activityWaitMs'))}, running ${s1(sum('activityRunMs'))}), ${sum('childStarts')} child starts (${s1(sum('childStartMs'))}), ${sum('signals')} signals, over ${s1(sum('spanMs'))}`);
  say(`      beside them, ${sum('endWaits')} waits for hosts' ends in the log (running ${s1(sum('endWaitRunMs'))}, waiting most of it; not counted below)`);
  const serialMs = sum('workflowTaskWaitMs') + sum('workflowTaskRunMs') + sum('activityWaitMs') + sum('activityRunMs') + sum('childStartMs');
  say(`      = ${(serialMs / options.hosts).toFixed(1)} ms of the campaign's own time per host: at most ${(options.hosts / (serialMs / 1000)).toFixed(1)} hosts/s through one campaign`);
  say(`  a host workflow (${hostWorkflowId(fleet.inventory[0]!.id)}): ${hostHistory.length} events, ${(hostHistory.bytes / 1024).toFixed(0)} KiB`);
  say(`  load average at the end: ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);

  const complete = view.status === 'completed' && upgraded === options.hosts;
  if (!complete) {
    // Which hosts failed and why: the first thing to read when a run does not complete.
    const ended = view.progress.hosts.filter((h) => h.status !== 'upgraded' && h.status !== 'running' && h.status !== 'pending');
    for (const h of ended.slice(0, 10)) say(`  ${h.hostId}: ${h.status}${h.cause ? ` (${h.cause})` : ''}: ${h.reason ?? 'no reason recorded'}`);
    if (ended.length > 10) say(`  … and ${ended.length - 10} more`);
    say(`\nthe campaign did not upgrade every host: ${view.status}${view.progress.haltReason ? ` (${view.progress.haltReason})` : ''}`);
    return 1;
  }
  say(scaleLine({ hosts: options.hosts, hostsPerSecond, overheadP99Ms: percentile(overheadMs, 99), peakMiB: report.peakTotalMiB }));
  return 0;
}

/** An operator token for this run, made straight in the database (as `bankswitch tokens create` does without a server). */
async function operatorToken(stack: ScaleStack): Promise<string> {
  const opened = await openBankswitchApp(appConfigFromEnv({ ...stack.env }));
  try {
    return (await opened.app.createToken({ name: `bench-scale-${stamp}`, role: 'operator', by: 'bench-scale' })).token;
  } finally {
    await opened.close();
  }
}

interface Api {
  post(route: string, body: unknown): Promise<unknown>;
  get(route: string): Promise<unknown>;
}

function apiClient(baseUrl: string, token: string): Api {
  const call = async (method: string, route: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}${route}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${text.slice(0, 500)}`);
    return JSON.parse(text) as unknown;
  };
  return { post: (route, body) => call('POST', route, body), get: (route) => call('GET', route) };
}

/** Reads the campaign through the API every --follow-s seconds until its workflow has ended. */
async function follow(api: Api): Promise<CampaignView> {
  let lastSaid = 0;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, options.followS * 1000));
    const view = (await api.get(`/campaigns/${campaignId}`)) as CampaignView;
    if (!view.running) return view;
    if (Date.now() - lastSaid >= 30_000) {
      lastSaid = Date.now();
      say(`[${elapsed()}] ${view.status}: ${countsText(view)}`);
    }
  }
}

function countsText(view: CampaignView): string {
  const counts = new Map<string, number>();
  for (const h of view.progress.hosts) counts.set(h.status, (counts.get(h.status) ?? 0) + 1);
  return `${[...counts].map(([status, n]) => `${n} ${status}`).join(', ')}; in flight ${view.progress.inFlight}`;
}

/** The campaign's HostStarted/HostFinished and its hosts' upgrade steps, with their recorded times. */
async function eventRows(prisma: ReturnType<typeof createPrismaClient>): Promise<EventRow[]> {
  const ofCampaign = campaignStream(campaignId);
  const ofHosts = `${hostStream('')}%`;
  const rows = await prisma.$queryRaw<{ stream_id: string; type: string; host_id: string | null; at: Date }[]>`
    SELECT stream_id, type, data->>'hostId' AS host_id, recorded_at AS at FROM events
    WHERE (stream_id = ${ofCampaign} AND type IN ('HostStarted', 'HostFinished'))
       OR (stream_id LIKE ${ofHosts} AND metadata->>'campaignId' = ${campaignId})`;
  return rows.map((r) => ({ streamId: r.stream_id, type: r.type, hostId: r.stream_id === ofCampaign ? (r.host_id ?? '') : r.stream_id.slice(hostStream('').length), at: r.at.getTime() }));
}

/** When the campaign was launched and when it ended, as recorded. */
async function campaignWindow(prisma: ReturnType<typeof createPrismaClient>): Promise<{ launched: number; ended: number }> {
  const [row] = await prisma.$queryRaw<{ launched: Date; ended: Date }[]>`
    SELECT min(recorded_at) AS launched, max(recorded_at) AS ended FROM events WHERE stream_id = ${campaignStream(campaignId)}`;
  if (!row) throw new Error(`no events in the stream of campaign ${campaignId}`);
  return { launched: row.launched.getTime(), ended: row.ended.getTime() };
}
