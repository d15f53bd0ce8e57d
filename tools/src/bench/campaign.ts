// `npm run bench:campaign -- --hosts <N>`: a campaign over N zero-delay simulated hosts,
// next to bare Temporal doing the same shape of work in the same run on the same
// server (one workflow per host, the same activities per host, the same window in
// flight; no-op activities, no events, no hosts). Prints hosts per second and engine
// overhead per host, and for reference one flat workflow running all the activities.
// Last line: `overhead ratio: <x>` (campaign wall time / bare same-shape wall time).
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
import { campaignWorkflow, campaignWorkflowId } from '@bankswitch/workflows';
import { hostRows, launchFleet } from '../fleet/index';
import { startLocalStack } from '../local-stack/index';
import { cpuSeconds, pidsMatching } from './cpu-usage';
import { writeImage } from './image';
import * as bareActivities from './bare/activities';
import type { BareShape } from './bare/workflows';

const options = new Command('bench:campaign')
  .option('--hosts <n>', 'hosts in the campaign', (v) => Number(v), 100)
  .option('--window <n>', 'hosts in flight at once (maxInFlight)', (v) => Number(v), 50)
  .parse()
  .opts<{ hosts: number; window: number }>();

/** Activities the engine runs per host on the success path, and per campaign of two waves. */
const ACTIVITIES_PER_HOST = 7; // precheck, stage, reboot, await boot, verify, commit, outcome
const ACTIVITIES_PER_CAMPAIGN = 6; // launched, 2 × wave started, 2 × wave finished, completed

Runtime.install({ logger: new DefaultLogger('WARN') });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bankswitch-bench-'));
const stack = await startLocalStack({ name: 'bench-campaign', log: console.log });
const fleet = await launchFleet({ dir, clusters: [{ name: 'bench', hosts: options.hosts }], rebootMs: 0, hostsPerProcess: 100, upTimeoutMs: 120_000 });
const prisma = createPrismaClient(stack.databaseUrl);
const connection = await Connection.connect({ address: stack.temporalAddress });
const client = new Client({ connection });
const stamp = Date.now().toString(36);
try {
  await prisma.host.createMany({ data: hostRows(fleet.inventory), skipDuplicates: true });
  const image = writeImage(dir, '8.0.3-0.0.24280767');
  const shape: BareShape = { hosts: options.hosts, window: options.window, activitiesPerHost: ACTIVITIES_PER_HOST, activitiesPerCampaign: ACTIVITIES_PER_CAMPAIGN };
  console.log(`\n${options.hosts} hosts, ${options.window} in flight, Temporal dev server ${stack.temporalAddress}, ${os.cpus().length} cores\n`);

  const bare = await measured(() => timeBare(shape));
  const engine = await measured(() => timeCampaign(image));
  const flat = await measured(() => timeFlat(shape));

  const row = (name: string, ms: number) => console.log(`${name.padEnd(44)} ${(ms / 1000).toFixed(2).padStart(8)} s ${(options.hosts / (ms / 1000)).toFixed(1).padStart(8)} hosts/s`);
  console.log(`${'case'.padEnd(44)} ${'wall'.padStart(10)} ${'rate'.padStart(16)}`);
  row('bankswitch campaign (events, hosts, checks)', engine.ms);
  row('bare Temporal, same shape (no-op activities)', bare.ms);
  row('flat: one workflow, all activities', flat.ms);
  console.log(`\nCPU seconds used, per component (${os.cpus().length} cores):`);
  console.log(`${'case'.padEnd(44)} ${'Temporal'.padStart(9)} ${'worker'.padStart(9)} ${'Postgres'.padStart(9)} ${'hosts'.padStart(9)}`);
  const cpuRow = (name: string, c: CpuSplit) => console.log(`${name.padEnd(44)} ${[c.temporal, c.worker, c.postgres, c.hosts].map((v) => v.toFixed(1).padStart(9)).join(' ')}`);
  cpuRow('bankswitch campaign', engine.cpu);
  cpuRow('bare Temporal, same shape', bare.cpu);
  cpuRow('flat', flat.cpu);
  console.log(`\nengine overhead per host: ${((engine.ms - bare.ms) / options.hosts).toFixed(1)} ms (campaign − bare, over ${options.hosts} hosts)`);
  console.log(`per-host workflows cost: ${((bare.ms - flat.ms) / options.hosts).toFixed(1)} ms per host (bare − flat)`);
  console.log(`overhead ratio: ${(engine.ms / bare.ms).toFixed(2)}`);
} finally {
  await connection.close();
  await prisma.$disconnect();
  await fleet.stop();
  await stack.stop();
  fs.rmSync(dir, { recursive: true, force: true });
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
    // The postmaster (by its data folder) with its exited backends, and the live backends
    // and helpers (which name themselves "postgres: …").
    postgres: cpuSeconds(pidsMatching('postgres-bench-campaign'), { reapedChildren: true }) + cpuSeconds(pidsMatching('postgres: ')),
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

async function timeCampaign(image: { path: string; sha256: string; build: string }): Promise<number> {
  const taskQueue = `bench-engine-${stamp}`;
  const running = await createBankswitchWorker(
    { temporalAddress: stack.temporalAddress, namespace: 'default', taskQueue, databaseUrl: stack.databaseUrl, maxConcurrentActivities: 64 },
    // Zero-delay hosts: poll for the new boot every 20 ms rather than the 250 ms meant for real hosts.
    { pollMs: 20 },
  );
  const run = running.run();
  try {
    const spec = validateCampaignSpec({
      name: `bench-${stamp}`,
      target: { build: image.build, payload: image.path, sha256: image.sha256 },
      hosts: { clusters: ['bench'] },
      strategy: { canary: 1, waves: ['100%'], maxInFlight: options.window, failureBudget: 0, pauseBetweenWaves: 'none' },
    });
    if (!spec.ok) throw new Error(JSON.stringify(spec.errors));
    const plan = planCampaign(spec.spec, fleet.inventory);
    if (!plan.ok) throw new Error(JSON.stringify(plan.errors));
    const input = campaignInputFromPlan(spec.spec, plan.plan, { campaignId: `bench-${stamp}`, operator: 'bench' });
    const started = performance.now();
    const result = await client.workflow.execute(campaignWorkflow, { taskQueue, workflowId: campaignWorkflowId(input.campaignId), args: [input] });
    const ms = performance.now() - started;
    const upgraded = result.hosts.filter((h) => h.status === 'upgraded').length;
    if (upgraded !== options.hosts) throw new Error(`only ${upgraded} of ${options.hosts} hosts were upgraded: ${result.status} ${result.haltReason ?? ''}`);
    return ms;
  } finally {
    running.shutdown();
    await run;
  }
}

async function withBareWorker<T>(taskQueue: string, body: () => Promise<T>): Promise<T> {
  const nativeConnection = await NativeConnection.connect({ address: stack.temporalAddress });
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    workflowBundle: await bundleWorkflowCode({ workflowsPath: fileURLToPath(new URL('./bare/workflows.ts', import.meta.url)), logger: new DefaultLogger('WARN') }),
    activities: bareActivities,
    // The same concurrency and cache settings as the engine's worker.
    maxConcurrentActivityTaskExecutions: 64,
    maxConcurrentWorkflowTaskExecutions: 100,
    maxCachedWorkflows: 2_000,
  });
  try {
    return await worker.runUntil(body());
  } finally {
    await nativeConnection.close();
  }
}

async function timeBare(shape: BareShape): Promise<number> {
  const taskQueue = `bench-bare-${stamp}`;
  return withBareWorker(taskQueue, async () => {
    const started = performance.now();
    await client.workflow.execute('bareCampaign', { taskQueue, workflowId: `bare-${stamp}`, args: [shape] });
    return performance.now() - started;
  });
}

async function timeFlat(shape: BareShape): Promise<number> {
  const taskQueue = `bench-flat-${stamp}`;
  return withBareWorker(taskQueue, async () => {
    const started = performance.now();
    await client.workflow.execute('flatCampaign', { taskQueue, workflowId: `flat-${stamp}`, args: [shape] });
    return performance.now() - started;
  });
}
