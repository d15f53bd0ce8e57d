// `npm run bench:floor -- --hosts N --in-flight M --reboot-s S`: what Temporal alone costs
// per host on this machine, before the engine does any work. Bare host workflows with the
// steps of the engine's (floor-shape.ts: local activities, activities, a boot wait that
// heartbeats as the engine's does) and nothing behind them (no events, no hosts, no
// checks), M in flight, each started as the last one ended, on the same Temporal server
// and PostgreSQL as `bench:scale` (the full server by default). Then the least a host
// could cost: its own workflow and one activity that waits. Prints, for each, hosts/s,
// the overhead per host (its time minus the wait, p50/p99) and the CPU per host of
// Temporal, PostgreSQL and this process (worker and client); last line
// `floor: engine's steps <x> hosts/s (overhead p99 <y> s), minimal <x> hosts/s (overhead p99 <y> s); the goal needs <z> hosts/s`.
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { Command } from 'commander';
import { BOOT_WAIT_HEARTBEAT_TIMEOUT } from '@bankswitch/workflows';
import { startLocalStack } from '../local-stack/index';
import * as bareActivities from './bare/activities';
import { childrenOf, cpuSeconds } from './cpu-usage';
import { ENGINE_HOST_STEPS, MINIMAL_HOST_STEPS, type FloorStep } from './floor-shape';
import { percentile } from './scale-stats';

const options = new Command('bench:floor')
  .option('--hosts <n>', 'host workflows of each shape', Number, 2_000)
  .option('--in-flight <n>', 'host workflows running at once', Number, 1_000)
  .option('--reboot-s <s>', 'seconds each boot wait takes', Number, 60)
  .option('--dev-server', "the Temporal CLI's dev server instead of the full server on PostgreSQL")
  .parse()
  .opts<{ hosts: number; inFlight: number; rebootS: number; devServer?: boolean }>();

const rebootMs = Math.round(options.rebootS * 1000);
const say = (line: string) => console.log(line);
Runtime.install({ logger: new DefaultLogger('WARN') });
say(`bench:floor: ${options.hosts} bare host workflows of each shape, ${options.inFlight} in flight, ${options.rebootS} s boot waits`);
say(`machine: ${os.availableParallelism()} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} at start`);
const stack = await startLocalStack({ name: 'bench-floor', temporal: options.devServer ? 'dev' : 'server', log: () => {} });
for (const line of stack.describe()) say(`  ${line}`);

const taskQueue = `bench-floor-${Date.now().toString(36)}`;
const connection = await NativeConnection.connect({ address: stack.temporalAddress });
const worker = await Worker.create({
  connection,
  taskQueue,
  workflowBundle: await bundleWorkflowCode({ workflowsPath: fileURLToPath(new URL('./bare/workflows.ts', import.meta.url)), logger: new DefaultLogger('WARN') }),
  activities: bareActivities,
  // As the engine's workers together: a slot for every boot wait, and room besides.
  maxConcurrentActivityTaskExecutions: options.inFlight + 64,
  maxConcurrentWorkflowTaskExecutions: 100,
  maxCachedWorkflows: 2_000,
});
const workerRun = worker.run();
const client = new Client({ connection: await Connection.connect({ address: stack.temporalAddress }) });

interface Figures {
  readonly hostsPerSecond: number;
  readonly overheadP50: number;
  readonly overheadP99: number;
}

let engine: Figures;
let minimal: Figures;
try {
  engine = await measure("the engine's steps", 'engine', ENGINE_HOST_STEPS);
  minimal = await measure('minimal (one workflow, one activity that waits)', 'minimal', MINIMAL_HOST_STEPS);
} finally {
  worker.shutdown();
  await workerRun;
  await connection.close();
  await stack.stop();
}
const goal = options.inFlight / options.rebootS;
const figures = (f: Figures) => `${f.hostsPerSecond.toFixed(2)} hosts/s (overhead p99 ${f.overheadP99.toFixed(2)} s)`;
say(`floor: engine's steps ${figures(engine)}, minimal ${figures(minimal)}; the goal needs ${goal.toFixed(2)} hosts/s`);

async function measure(title: string, id: string, steps: readonly FloorStep[]): Promise<Figures> {
  const postgres = stack.postgres.pid;
  const temporal = stack.temporal.pid;
  const cpu = () => ({
    temporal: temporal ? cpuSeconds([temporal]) : 0,
    // The backends end with their connections: their time counts once reaped.
    postgres: postgres ? cpuSeconds([postgres, ...childrenOf(postgres)], { reapedChildren: true }) : 0,
    self: cpuSeconds([process.pid]),
  });
  say(`\n${title}: ${steps.join(', ')}`);
  const before = cpu();
  const started = Date.now();
  const overheads: number[] = [];
  let next = 0;
  const progress = setInterval(() => say(`  [${Math.round((Date.now() - started) / 1000)} s] ${overheads.length} of ${options.hosts} ended`), 30_000);
  // Each lane starts a host workflow as soon as its last one ended: M in flight, as a campaign keeps them.
  const lane = async () => {
    while (next < options.hosts) {
      const index = next++;
      const start = Date.now();
      const handle = await client.workflow.start('floorHost', { taskQueue, workflowId: `${taskQueue}-${id}-${index}`, args: [steps, rebootMs, BOOT_WAIT_HEARTBEAT_TIMEOUT] });
      await handle.result();
      overheads.push((Date.now() - start - rebootMs) / 1000);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(options.inFlight, options.hosts) }, lane));
  } finally {
    clearInterval(progress);
  }
  const seconds = (Date.now() - started) / 1000;
  const after = cpu();
  const perHost = (k: keyof typeof before) => Math.round(((after[k] - before[k]) * 1000) / options.hosts);
  const total = perHost('temporal') + perHost('postgres') + perHost('self');
  const figures = { hostsPerSecond: options.hosts / seconds, overheadP50: percentile(overheads, 50), overheadP99: percentile(overheads, 99) };
  say(`  ${options.hosts} hosts in ${seconds.toFixed(1)} s: ${figures.hostsPerSecond.toFixed(2)} hosts/s; overhead (time − ${options.rebootS} s wait) p50 ${figures.overheadP50.toFixed(2)} s, p99 ${figures.overheadP99.toFixed(2)} s`);
  say(`  CPU per host: ${total} ms (Temporal ${perHost('temporal')}, PostgreSQL ${perHost('postgres')}, worker and client ${perHost('self')}); at most ${((os.availableParallelism() * 1000) / total).toFixed(1)} hosts/s on ${os.availableParallelism()} busy cores`);
  return figures;
}
