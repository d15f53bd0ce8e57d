// `npm run bench:campaign -- --hosts <N>`: a campaign over N zero-delay simulated hosts,
// next to bare Temporal doing the same shape of work on the same server in the same run.
// The bare campaign's shape is counted from the engine's own histories (a warm-up
// campaign's): a canary, then a window of child workflows, the campaign's activities at
// launch and per host report where the engine has them, the hosts' activities; no-op
// activities, no events, no hosts. After a warm-up of both, each case runs three times in
// alternating order (bare first, then engine first, …); the figures are the medians with
// their spread. For reference one flat workflow runs all the hosts' activities.
// Last line: `overhead ratio: <x>` (the campaign's median wall time / bare's median).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { campaignInputFromPlan } from '@bankswitch/app';
import { planCampaign, validateCampaignSpec } from '@bankswitch/campaign-spec';
import { createPrismaClient } from '@bankswitch/event-store';
import { createBankswitchWorker } from '@bankswitch/worker';
import { campaignActivityTaskQueue, campaignWorkflow, campaignWorkflowId, hostWorkflowId } from '@bankswitch/workflows';
import { hostRows, launchFleet } from '../fleet/index';
import { startLocalStack } from '../local-stack/index';
import { childrenOf, cpuSeconds, pidsMatching } from './cpu-usage';
import { engineShapeOf, medianAndSpread, type EngineShape } from './engine-shape';
import { writeImage } from './image';
import * as bareActivities from './bare/activities';
import type { BareShape } from './bare/workflows';

const options = new Command('bench:campaign')
  .option('--hosts <n>', 'hosts in the campaign', (v) => Number(v), 100)
  .option('--window <n>', 'hosts in flight at once (maxInFlight)', (v) => Number(v), 50)
  .option('--runs <n>', 'measured runs of each case (the median is reported)', (v) => Number(v), 3)
  .parse()
  .opts<{ hosts: number; window: number; runs: number }>();

const CANARY = 1;
const WARM_UP_HOSTS = 10;

Runtime.install({ logger: new DefaultLogger('WARN') });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bankswitch-bench-'));
const stack = await startLocalStack({ name: 'bench-campaign', log: console.log });
const fleet = await launchFleet({
  dir,
  clusters: [
    { name: 'warm-up', hosts: WARM_UP_HOSTS },
    { name: 'bench', hosts: options.hosts },
  ],
  rebootMs: 0,
  hostsPerProcess: 100,
  upTimeoutMs: 120_000,
});
const prisma = createPrismaClient(stack.databaseUrl);
const connection = await Connection.connect({ address: stack.temporalAddress });
const client = new Client({ connection });
const stamp = Date.now().toString(36);
const engineWorker = await createBankswitchWorker(
  { temporalAddress: stack.temporalAddress, namespace: 'default', taskQueue: `bench-engine-${stamp}`, databaseUrl: stack.databaseUrl, maxConcurrentActivities: 64 },
  // Zero-delay hosts: poll for the new boot every 20 ms rather than the 250 ms meant for real hosts.
  { pollMs: 20 },
);
const engineRunning = engineWorker.run();
const bare = await startBareWorker(`bench-bare-${stamp}`);
try {
  await prisma.host.createMany({ data: hostRows(fleet.inventory), skipDuplicates: true });
  // Each campaign upgrades its hosts to a newer build than the last one did.
  let build = 24_280_767;
  const nextImage = () => writeImage(dir, `8.0.3-0.0.${build++}`);
  console.log(`\n${options.hosts} hosts, a canary of ${CANARY} then ${options.window} in flight, Temporal dev server ${stack.temporalAddress}, ${os.cpus().length} cores, load average ${loadAverage()}`);

  // Warm-up: both workers' caches and connections, Temporal's and PostgreSQL's; the engine's shape is counted from it.
  const warmUp = await runCampaign('warm-up', WARM_UP_HOSTS, nextImage());
  const counted = await shapeOf(warmUp.campaignId, warmUp.hostIds);
  const shapeFor = (hosts: number): BareShape => ({ hosts, window: options.window, canary: CANARY, ...counted });
  await runBare(shapeFor(WARM_UP_HOSTS), 'warm-up');
  console.log(`shape counted from the engine's histories: ${counted.activitiesAtLaunch} campaign activities at launch, ${counted.activitiesPerReport} per host report, ${counted.activitiesPerHost} activities and ${counted.localActivitiesPerHost} local activities per host\n`);

  const times = { engine: [] as number[], bare: [] as number[] };
  const cpu = { engine: [] as CpuSplit[], bare: [] as CpuSplit[] };
  for (let run = 0; run < options.runs; run++) {
    const image = nextImage();
    const cases = { engine: () => runCampaign(`run${run}`, options.hosts, image).then((r) => r.ms), bare: () => runBare(shapeFor(options.hosts), `run${run}`) };
    const order = run % 2 === 0 ? (['bare', 'engine'] as const) : (['engine', 'bare'] as const);
    for (const name of order) {
      const measuredRun = await measured(cases[name]);
      times[name].push(measuredRun.ms);
      cpu[name].push(measuredRun.cpu);
      console.log(`run ${run + 1}: ${name.padEnd(6)} ${(measuredRun.ms / 1000).toFixed(2).padStart(7)} s`);
    }
  }
  const flat = await measured(() => runFlat(shapeFor(options.hosts)));

  const engine = medianAndSpread(times.engine);
  const bareTime = medianAndSpread(times.bare);
  const secs = (ms: number) => (ms / 1000).toFixed(2);
  const row = (name: string, t: { median: number; min: number; max: number }) =>
    console.log(`${name.padEnd(44)} ${`${secs(t.median)} s`.padStart(9)} ${`${secs(t.min)}–${secs(t.max)} s`.padStart(15)} ${(options.hosts / (t.median / 1000)).toFixed(1).padStart(8)} hosts/s`);
  console.log(`\n${'case'.padEnd(44)} ${'median'.padStart(9)} ${'spread'.padStart(15)} ${'rate'.padStart(16)}`);
  row('bankswitch campaign (events, hosts, checks)', engine);
  row('bare Temporal, same shape (no-op activities)', bareTime);
  row('flat: one workflow, all activities (1 run)', { median: flat.ms, min: flat.ms, max: flat.ms });
  console.log(`\nCPU seconds used per run, per component (median of the runs, ${os.cpus().length} cores):`);
  console.log(`${'case'.padEnd(44)} ${'Temporal'.padStart(9)} ${'worker'.padStart(9)} ${'Postgres'.padStart(9)} ${'hosts'.padStart(9)}`);
  const cpuRow = (name: string, c: CpuSplit) => console.log(`${name.padEnd(44)} ${[c.temporal, c.worker, c.postgres, c.hosts].map((v) => v.toFixed(1).padStart(9)).join(' ')}`);
  cpuRow('bankswitch campaign', medianCpu(cpu.engine));
  cpuRow('bare Temporal, same shape', medianCpu(cpu.bare));
  cpuRow('flat', flat.cpu);
  const ratios = times.engine.map((ms, i) => (ms / times.bare[i]!).toFixed(2));
  console.log(`\nratios of the runs: ${ratios.join(', ')}; load average ${loadAverage()} at the end`);
  console.log(`engine overhead per host: ${((engine.median - bareTime.median) / options.hosts).toFixed(1)} ms (campaign − bare, medians, over ${options.hosts} hosts)`);
  console.log(`per-host workflows cost: ${((bareTime.median - flat.ms) / options.hosts).toFixed(1)} ms per host (bare − flat)`);
  console.log(`overhead ratio: ${(engine.median / bareTime.median).toFixed(2)}`);
} finally {
  engineWorker.shutdown();
  await engineRunning;
  await bare.stop();
  await connection.close();
  await prisma.$disconnect();
  await fleet.stop();
  await stack.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}

function postgresCpu(): number {
  const postmasters = pidsMatching('postgres-bench-campaign');
  return cpuSeconds(postmasters, { reapedChildren: true }) + cpuSeconds(postmasters.flatMap(childrenOf));
}

function loadAverage(): string {
  return os.loadavg().map((v) => v.toFixed(2)).join(' ');
}

interface CpuSplit {
  temporal: number;
  worker: number;
  postgres: number;
  hosts: number;
}

/** Wall time of a case and the CPU time each component spent on it. */
async function measured(run: () => Promise<number>): Promise<{ ms: number; cpu: CpuSplit }> {
  const sample = (): CpuSplit => ({
    temporal: cpuSeconds(stack.temporal.pid ? [stack.temporal.pid] : []),
    // This process: the worker (activities, workflow threads) and the client.
    worker: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
    // The postmaster (by its data folder) with its exited backends, and its live backends
    // and helpers (only this stack's: other PostgreSQL servers may run on the machine).
    postgres: postgresCpu(),
    hosts: cpuSeconds(fleet.agents.map((a) => a.pid).filter((pid): pid is number => pid !== null)),
  });
  const before = sample();
  const ms = await run();
  const after = sample();
  return {
    ms,
    cpu: {
      temporal: after.temporal - before.temporal,
      worker: after.worker - before.worker,
      postgres: after.postgres - before.postgres,
      hosts: after.hosts - before.hosts,
    },
  };
}

/** Launches a campaign over a cluster of the fleet to `image` and waits for it: every host must end upgraded. */
async function runCampaign(cluster: 'warm-up' | `run${number}`, hosts: number, image: { path: string; sha256: string; build: string }): Promise<{ ms: number; campaignId: string; hostIds: string[] }> {
  const spec = validateCampaignSpec({
    name: `bench-${stamp}-${cluster}`,
    target: { build: image.build, payload: image.path, sha256: image.sha256 },
    hosts: { clusters: [cluster === 'warm-up' ? 'warm-up' : 'bench'] },
    strategy: { canary: CANARY, waves: ['100%'], maxInFlight: options.window, failureBudget: 0, pauseBetweenWaves: 'none' },
  });
  if (!spec.ok) throw new Error(JSON.stringify(spec.errors));
  const plan = planCampaign(spec.spec, fleet.inventory);
  if (!plan.ok) throw new Error(JSON.stringify(plan.errors));
  const input = campaignInputFromPlan(spec.spec, plan.plan, { campaignId: spec.spec.name, operator: 'bench' });
  const started = performance.now();
  const result = await client.workflow.execute(campaignWorkflow, { taskQueue: `bench-engine-${stamp}`, workflowId: campaignWorkflowId(input.campaignId), args: [input] });
  const ms = performance.now() - started;
  const upgraded = result.hosts.filter((h) => h.status === 'upgraded').length;
  if (upgraded !== hosts) throw new Error(`only ${upgraded} of ${hosts} hosts were upgraded: ${result.status} ${result.haltReason ?? ''}`);
  return { ms, campaignId: input.campaignId, hostIds: result.hosts.map((h) => h.hostId) };
}

/** The engine's shape, from the histories of a campaign and its hosts. */
async function shapeOf(campaignId: string, hostIds: readonly string[]): Promise<EngineShape> {
  const events = async (workflowId: string) => (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const hosts = await Promise.all(hostIds.map((id) => events(hostWorkflowId(id))));
  return engineShapeOf(await events(campaignWorkflowId(campaignId)), hosts);
}

/** One worker for the bare cases, with the engine worker's concurrency and cache settings. */
async function startBareWorker(taskQueue: string): Promise<{ taskQueue: string; stop: () => Promise<void> }> {
  const nativeConnection = await NativeConnection.connect({ address: stack.temporalAddress });
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    workflowBundle: await bundleWorkflowCode({ workflowsPath: fileURLToPath(new URL('./bare/workflows.ts', import.meta.url)), logger: new DefaultLogger('WARN') }),
    activities: bareActivities,
    maxConcurrentActivityTaskExecutions: 64,
    maxConcurrentWorkflowTaskExecutions: 100,
    maxCachedWorkflows: 2_000,
  });
  // The campaign's activities on their own queue, as the engine's worker polls them (create-worker.ts).
  const campaignWorker = await Worker.create({
    connection: nativeConnection,
    taskQueue: campaignActivityTaskQueue(taskQueue),
    activities: bareActivities,
    maxConcurrentActivityTaskExecutions: 20,
  });
  const running = Promise.all([worker.run(), campaignWorker.run()]);
  return {
    taskQueue,
    stop: async () => {
      worker.shutdown();
      campaignWorker.shutdown();
      await running;
      await nativeConnection.close();
    },
  };
}

async function runBare(shape: BareShape, label: string): Promise<number> {
  const started = performance.now();
  await client.workflow.execute('bareCampaign', { taskQueue: bare.taskQueue, workflowId: `bare-${stamp}-${label}`, args: [shape] });
  return performance.now() - started;
}

async function runFlat(shape: BareShape): Promise<number> {
  const started = performance.now();
  await client.workflow.execute('flatCampaign', { taskQueue: bare.taskQueue, workflowId: `flat-${stamp}`, args: [shape] });
  return performance.now() - started;
}

function medianCpu(splits: readonly CpuSplit[]): CpuSplit {
  const median = (key: keyof CpuSplit) => medianAndSpread(splits.map((c) => c[key])).median;
  return { temporal: median('temporal'), worker: median('worker'), postgres: median('postgres'), hosts: median('hosts') };
}
