// Simulated ESXi hosts as a process.
//   tsx apps/host-agent/src/main.ts --config agent.json
//   tsx apps/host-agent/src/main.ts --dir /tmp/esx01 --init --id esx01 --build 8.0.3-0.0.24022510
// Prints one JSON line {"event":"ready",...} on stdout once every host has booted; logs go to stderr.
import fs from 'node:fs';
import { Command } from 'commander';
import pino from 'pino';
import { startAgent } from './agent';
import type { AgentConfig } from './config';

const program = new Command('host-agent')
  .description('Simulated ESXi hosts: two boot banks on disk, an HTTP API per host, injectable faults')
  .option('--config <file>', 'agent config JSON (hosts, rebootMs, adminPort, buildFaults)')
  .option('--dir <dir>', 'a single host folder (instead of --config)')
  .option('--init', 'initialise the folder if it is empty')
  .option('--id <id>', 'host id for --init')
  .option('--name <name>', 'host name for --init')
  .option('--build <build>', 'build installed in bank 0 for --init', '8.0.3-0.0.24022510')
  .option('--previous-build <build>', 'older build, VALID in bank 1, for --init')
  .option('--reboot-ms <ms>', 'reboot time', (value) => Number(value))
  .option('--admin-port <port>', 'admin API port', (value) => Number(value))
  .option('--exit-with-parent', 'exit when stdin closes')
  .parse();

const options = program.opts<{
  config?: string;
  dir?: string;
  init?: boolean;
  id?: string;
  name?: string;
  build: string;
  previousBuild?: string;
  rebootMs?: number;
  adminPort?: number;
  exitWithParent?: boolean;
}>();

function configFromOptions(): AgentConfig {
  if (options.config) return JSON.parse(fs.readFileSync(options.config, 'utf8')) as AgentConfig;
  const dir = options.dir;
  if (!dir) throw new Error('give --config <file> or --dir <host folder>');
  const id = options.id ?? 'esx01';
  const init = options.init
    ? { hostId: id, name: options.name ?? `${id}.sim.local`, build: options.build, previousBuild: options.previousBuild }
    : undefined;
  return { hosts: [{ dir, init }] };
}

const log = pino({ name: 'host-agent' }, pino.destination(2));
const config = configFromOptions();
if (options.rebootMs !== undefined) config.rebootMs = options.rebootMs;
if (options.adminPort !== undefined) config.adminPort = options.adminPort;
if (options.exitWithParent) config.exitWithParent = true;

const agent = await startAgent(config, log);
process.stdout.write(`${JSON.stringify(agent.ready)}\n`);
log.info({ adminPort: agent.ready.adminPort, hosts: agent.ready.hosts.length }, 'agent ready');

let stopping = false;
async function stop(reason: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ reason }, 'stopping');
  await agent.stop();
  process.exit(0);
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
if (config.exitWithParent) {
  process.stdin.resume();
  process.stdin.on('end', () => void stop('parent gone (stdin closed)'));
  process.stdin.on('error', () => void stop('parent gone (stdin error)'));
}
