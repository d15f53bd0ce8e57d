// How heavy is a simulated fleet? Starts N hosts, prints start time and the agents' RSS,
// reboots every host at once, stops them and prints the stop time.  tsx tools/src/fleet/measure.ts [--hosts 200] [--hosts-per-process 50]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHostDriver } from '@bankswitch/host-driver';
import { launchFleet } from './launch-fleet';

function arg(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

const hosts = arg('--hosts', 200);
const perProcess = arg('--hosts-per-process', 100);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bankswitch-fleet-measure-'));
const clusters = [{ name: 'm', hosts }];

console.log(`machine: ${os.cpus().length} cores, node ${process.version}`);
const t0 = performance.now();
const fleet = await launchFleet({ dir, clusters, hostsPerProcess: perProcess, rebootMs: 0 });
const startMs = performance.now() - t0;
const rss = fleet.agents.map((agent) => rssMiB(agent.pid!));
const total = rss.reduce((sum, value) => sum + value, 0);
console.log(`start: ${fleet.inventory.length} hosts answering in ${startMs.toFixed(0)} ms (${fleet.agents.length} agents × ≤${perProcess} hosts)`);
console.log(`rss: total ${total.toFixed(0)} MiB, per agent ${rss.map((v) => v.toFixed(0)).join(' / ')} MiB, ${(total / hosts).toFixed(2)} MiB per host`);
const drivers = fleet.inventory.map((host) => createHostDriver(host));
const t2 = performance.now();
await Promise.all(
  drivers.map(async (driver) => {
    const { bootId } = await driver.getState();
    await driver.reboot();
    await driver.waitUntilUp({ afterBootId: bootId, timeoutMs: 60_000, pollMs: 50 });
  }),
);
console.log(`reboot: all ${drivers.length} hosts rebooted (rebootMs 0) and answering again in ${(performance.now() - t2).toFixed(0)} ms`);
const t1 = performance.now();
await fleet.stop();
console.log(`stop: ${(performance.now() - t1).toFixed(0)} ms`);
fs.rmSync(dir, { recursive: true, force: true });
