// A fleet of simulated ESXi hosts for local runs and demos:
//   tsx tools/src/fleet/cli.ts --hosts 12 --clusters a,b --fault failBoot@a-esx02 --fault failHealth@build:8.0.3-0.0.99
// Runs until Ctrl-C, then stops every agent.
import path from 'node:path';
import { Command, Option } from 'commander';
import { faultsFromArgs } from './fault-arg';
import { DEFAULT_BUILD, launchFleet } from './launch-fleet';
import { workspaceRoot } from './agent-process';

const program = new Command('fleet')
  .description('Start simulated ESXi hosts and write an inventory the engine can import')
  .option('--hosts <n>', 'number of hosts, spread evenly over the clusters', (v) => Number(v), 12)
  .option('--clusters <names>', 'comma-separated cluster names', 'a')
  .option('--dir <dir>', 'fleet folder (reused if it exists)', path.join(workspaceRoot, 'tmp/fleet'))
  .option('--hosts-per-process <n>', 'hosts simulated by one agent process', (v) => Number(v), 100)
  .option('--reboot-ms <ms>', 'reboot time', (v) => Number(v), 300)
  .option('--base-build <build>', 'build installed on new hosts', DEFAULT_BUILD)
  .option('--previous-build <build>', 'older build, VALID in bank 1 of new hosts')
  .addOption(new Option('--driver <driver>', 'how the engine reaches the hosts: http, or esxi-ssh (SSH as ESXi answers it; the inventory pins each host key)').choices(['http', 'esxi-ssh']).default('http'))
  .option('--fault <spec>', 'failBoot@<host> | slowRebootMs=2000@<host> | failHealth@build:<build> ... (repeatable)', (v, all: string[]) => [...all, v], [])
  .parse();

const options = program.opts<{
  hosts: number;
  clusters: string;
  dir: string;
  hostsPerProcess: number;
  rebootMs: number;
  baseBuild: string;
  previousBuild?: string;
  driver: 'http' | 'esxi-ssh';
  fault: string[];
}>();

const names = options.clusters.split(',').map((name) => name.trim()).filter(Boolean);
const clusters = names.map((name, i) => ({
  name,
  hosts: Math.floor(options.hosts / names.length) + (i < options.hosts % names.length ? 1 : 0),
}));

const started = Date.now();
const fleet = await launchFleet({
  dir: options.dir,
  clusters,
  faults: faultsFromArgs(options.fault),
  hostsPerProcess: options.hostsPerProcess,
  rebootMs: options.rebootMs,
  baseBuild: options.baseBuild,
  previousBuild: options.previousBuild,
  driver: options.driver,
});
console.log(`${fleet.inventory.length} hosts up in ${Date.now() - started} ms, ${fleet.agents.length} agent process(es)`);
console.log(`inventory: ${fleet.inventoryPath}`);
for (const agent of fleet.agents) console.log(`agent ${agent.index} pid ${agent.pid} admin ${agent.adminAddress} hosts ${agent.hostIds.length}`);
console.log('Ctrl-C stops the fleet.');

const stop = async () => {
  await fleet.stop();
  console.log('fleet stopped');
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
