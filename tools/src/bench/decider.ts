// `npm run bench:decider -- --hosts 1000,10000 --in-flight 1000 [--ramp-up]`: what the
// campaign decider costs the campaign workflow per command as the fleet grows. The
// workflow rules on every host's end with `decide` and folds the events with `evolveAll`,
// on one worker thread, and again whenever it replays. Here the same fold runs in this
// process, with no Temporal: hosts start as the decider says and end in the order they
// started, every one succeeding. Pure CPU; no service is started.
// Last line: `decider: <n> hosts, <x> µs a command (p99 <y> µs), <z> s in all` (the last size given).
import { Command, InvalidArgumentError } from 'commander';
import { decide, evolveAll, initialState, type CampaignCommand, type CampaignPlan, type CampaignState } from '@bankswitch/campaign';
import { percentile } from './scale-stats';

function count(least: number, example: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < least) throw new InvalidArgumentError(`"${value}" is not a whole number of at least ${least}, e.g. ${example}.`);
    return n;
  };
}
const fleetSize = count(2, '--hosts 1000,10000');

const options = new Command('bench:decider')
  .option('--hosts <list>', 'fleet sizes, comma-separated', (v) => v.split(',').map(fleetSize), [1_000, 10_000])
  .option('--in-flight <n>', 'hosts in flight at once (maxInFlight)', count(1, '--in-flight 1000'), 1_000)
  .option('--ramp-up', 'a ramp-up (start 10, ×2, at most the in-flight) instead of one wave after the canary', false)
  .parse()
  .opts<{ hosts: number[]; inFlight: number; rampUp: boolean }>();

function planOf(n: number): CampaignPlan {
  const ids = Array.from({ length: n }, (_, i) => `esx-${String(i).padStart(5, '0')}`);
  return {
    name: 'bench',
    targetBuild: '8.0.3',
    waves: [
      { kind: 'canary', hostIds: ids.slice(0, 1) },
      { kind: 'wave', hostIds: ids.slice(1) },
    ],
    clusters: Object.fromEntries(ids.map((id, i) => [id, `cluster-${i % 10}`])),
    maxInFlight: options.inFlight,
    maxPerCluster: null,
    failureBudget: 0,
    pauseBetweenWaves: { kind: 'none' },
    launchedBy: 'bench',
    ...(options.rampUp ? { rampUp: { start: 10, factor: 2, max: options.inFlight } } : {}),
  };
}

interface Figures {
  readonly commands: number;
  readonly totalMs: number;
  readonly perCommandUs: readonly number[];
}

function fold(n: number): Figures {
  let state: CampaignState = initialState('bench-1');
  const started: string[] = [];
  const perCommandUs: number[] = [];
  let totalMs = 0;
  const run = (command: CampaignCommand) => {
    const t0 = performance.now();
    const decision = decide(command, state);
    if (!decision.ok) throw new Error(`the decider refused ${command.type}: ${decision.refusal.message}`);
    state = evolveAll(state, decision.events);
    const ms = performance.now() - t0;
    totalMs += ms;
    perCommandUs.push(ms * 1000);
    for (const event of decision.events) if (event.type === 'HostStarted') started.push(event.data.hostId);
  };
  run({ type: 'Launch', plan: planOf(n) });
  // Hosts end in the order they started: the queue's head is the oldest host in flight.
  for (let next = 0; next < started.length; next++) {
    run({ type: 'HostFinished', report: { hostId: started[next]!, attempt: 1, endState: 'upgraded', cause: 'succeeded', reason: '' } });
  }
  if (state.status !== 'completed') throw new Error(`the campaign of ${n} hosts ended ${state.status}, not completed: the bench's fold is wrong`);
  return { commands: perCommandUs.length, totalMs, perCommandUs };
}

const shape = options.rampUp ? `ramp-up to ${options.inFlight}` : `${options.inFlight} in flight`;
let last = '';
for (const n of options.hosts) {
  fold(Math.min(n, 200)); // warm the JIT
  const figures = fold(n);
  const p50 = percentile(figures.perCommandUs, 50);
  const p99 = percentile(figures.perCommandUs, 99);
  const mean = (figures.totalMs * 1000) / figures.commands;
  console.log(
    `${n} hosts (${shape}): ${figures.commands} commands, ${mean.toFixed(0)} µs a command (p50 ${p50.toFixed(0)}, p99 ${p99.toFixed(0)} µs), ${(figures.totalMs / 1000).toFixed(2)} s in all`,
  );
  last = `decider: ${n} hosts, ${mean.toFixed(0)} µs a command (p99 ${p99.toFixed(0)} µs), ${(figures.totalMs / 1000).toFixed(2)} s in all`;
}
console.log(last);
