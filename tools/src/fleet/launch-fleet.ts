// Start a fleet of simulated ESXi hosts (apps/host-agent) as real processes, write the
// inventory the engine imports, and stop them cleanly.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { AgentConfig, AgentReady, Faults } from '@bankswitch/host-agent';
import { createHostDriver } from '@bankswitch/host-driver';
import { fleetAdmin, type FleetAdmin } from './admin-client';
import { spawnAgent, stopChild } from './agent-process';

export const DEFAULT_BUILD = '8.0.3-0.0.24022510';

export interface InventoryHost {
  readonly id: string;
  readonly name: string;
  /** Base URL of the host's API, always on 127.0.0.1. */
  readonly address: string;
  readonly cluster: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly driver: 'http';
}

export interface FleetFaults {
  /** By host id. */
  readonly hosts?: Readonly<Record<string, Faults>>;
  /** By image build: applies to every host booting or running it. */
  readonly builds?: Readonly<Record<string, Faults>>;
}

export interface LaunchFleetOptions {
  /** Folder for host folders, agent configs and logs, and inventory.json. Reused if it exists. */
  readonly dir: string;
  readonly clusters: readonly { readonly name: string; readonly hosts: number }[];
  readonly faults?: FleetFaults;
  readonly hostsPerProcess?: number;
  readonly rebootMs?: number;
  readonly baseBuild?: string;
  /** An older build, VALID in bank 1 of every new host, so that hosts can roll back from day one. */
  readonly previousBuild?: string;
  /** How long to wait for every host to answer. */
  readonly upTimeoutMs?: number;
}

export interface AgentInfo {
  readonly index: number;
  readonly hostIds: readonly string[];
  pid: number | null;
  adminAddress: string | null;
}

export interface Fleet {
  readonly dir: string;
  readonly inventory: readonly InventoryHost[];
  readonly inventoryPath: string;
  readonly agents: readonly AgentInfo[];
  readonly admin: FleetAdmin;
  /** Index of the agent process that simulates this host. */
  agentOf(hostId: string): number;
  /** SIGKILL one agent process: its hosts vanish mid-whatever, like a power loss. */
  killAgent(index: number): Promise<void>;
  /** Start a killed (or running: it is stopped first) agent again on the same folders and ports. */
  restartAgent(index: number): Promise<void>;
  stop(): Promise<void>;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export async function launchFleet(options: LaunchFleetOptions): Promise<Fleet> {
  const dir = path.resolve(options.dir);
  const perProcess = options.hostsPerProcess ?? 100;
  const build = options.baseBuild ?? DEFAULT_BUILD;
  await fs.mkdir(dir, { recursive: true });

  const planned = options.clusters.flatMap((cluster) => {
    const width = Math.max(2, String(cluster.hosts).length);
    return Array.from({ length: cluster.hosts }, (_, i) => {
      const n = pad(i + 1, width);
      return { id: `${cluster.name}-esx${n}`, name: `esx${n}.${cluster.name}.sim.local`, cluster: cluster.name };
    });
  });
  const groups: (typeof planned)[] = [];
  for (let i = 0; i < planned.length; i += perProcess) groups.push(planned.slice(i, i + perProcess));

  const agents: AgentInfo[] = [];
  const children: (ChildProcess | null)[] = [];
  const configPaths: string[] = [];
  for (const [index, group] of groups.entries()) {
    const config: AgentConfig = {
      rebootMs: options.rebootMs ?? 300,
      exitWithParent: true,
      buildFaults: { ...options.faults?.builds },
      hosts: group.map((host) => ({
        dir: path.join(dir, 'hosts', host.id),
        init: {
          hostId: host.id,
          name: host.name,
          build,
          previousBuild: options.previousBuild,
          faults: options.faults?.hosts?.[host.id],
        },
      })),
    };
    const configPath = path.join(dir, `agent-${index}.json`);
    await fs.writeFile(configPath, `${JSON.stringify(config, null, 2)}\n`);
    configPaths.push(configPath);
    agents.push({ index, hostIds: group.map((host) => host.id), pid: null, adminAddress: null });
    children.push(null);
  }

  const start = async (index: number): Promise<AgentReady> => {
    const { child, ready } = await spawnAgent(configPaths[index]!, path.join(dir, `agent-${index}.log`));
    children[index] = child;
    agents[index]!.pid = child.pid ?? null;
    agents[index]!.adminAddress = `http://127.0.0.1:${ready.adminPort}`;
    return ready;
  };
  const stopAgent = async (index: number, graceMs: number) => {
    const child = children[index];
    children[index] = null;
    agents[index]!.pid = null;
    agents[index]!.adminAddress = null;
    if (child) await stopChild(child, graceMs);
  };
  const stop = async () => {
    await Promise.all(agents.map((agent) => stopAgent(agent.index, 5_000)));
  };

  const hostPort = new Map<string, number>();
  try {
    // Start agents in parallel: each boots its hosts one after another.
    const readies = await Promise.all(agents.map((agent) => start(agent.index)));
    for (const ready of readies) for (const host of ready.hosts) hostPort.set(host.hostId, host.port);
  } catch (error) {
    await stop();
    throw error;
  }

  const agentIndex = new Map(agents.flatMap((agent) => agent.hostIds.map((id) => [id, agent.index] as const)));
  const inventory: InventoryHost[] = planned.map((host) => ({
    id: host.id,
    name: host.name,
    address: `http://127.0.0.1:${hostPort.get(host.id)}`,
    cluster: host.cluster,
    labels: { cluster: host.cluster, agent: String(agentIndex.get(host.id)) },
    driver: 'http',
  }));

  const waitUp = async (hosts: readonly InventoryHost[]) => {
    const timeoutMs = options.upTimeoutMs ?? 30_000;
    for (let i = 0; i < hosts.length; i += 20) {
      await Promise.all(hosts.slice(i, i + 20).map((host) => createHostDriver(host).waitUntilUp({ timeoutMs, pollMs: 50 })));
    }
  };
  try {
    await waitUp(inventory);
  } catch (error) {
    await stop();
    throw error;
  }

  const inventoryPath = path.join(dir, 'inventory.json');
  await fs.writeFile(inventoryPath, `${JSON.stringify(inventory, null, 2)}\n`);

  const agentOf = (hostId: string) => {
    const index = agentIndex.get(hostId);
    if (index === undefined) throw new Error(`host ${hostId} is not in this fleet`);
    return index;
  };
  const admin = fleetAdmin(
    (hostId) => {
      const address = agents[agentOf(hostId)]!.adminAddress;
      if (!address) throw new Error(`the agent of host ${hostId} (agent ${agentOf(hostId)}) is not running`);
      return address;
    },
    () => agents.flatMap((agent) => (agent.adminAddress ? [agent.adminAddress] : [])),
  );

  return {
    dir,
    inventory,
    inventoryPath,
    agents,
    admin,
    agentOf,
    killAgent: (index) => stopAgent(index, 0),
    async restartAgent(index) {
      await stopAgent(index, 5_000);
      const ready = await start(index);
      // Hosts that booted wait for nothing; hung or unbootable ones stay as they are.
      const up = new Set(ready.hosts.filter((host) => host.status === 'up').map((host) => host.hostId));
      await waitUp(inventory.filter((host) => up.has(host.id)));
    },
    stop,
  };
}
