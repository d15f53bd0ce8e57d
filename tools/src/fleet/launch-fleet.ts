// Start a fleet of simulated ESXi hosts (apps/host-agent) as real processes, write the
// inventory the engine imports, and stop them cleanly. Over the esxi-ssh driver, every
// host also serves SSH as ESXi does, and the inventory pins each host's key.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import ssh2 from 'ssh2';
import type { AgentConfig, AgentReady, Faults } from '@bankswitch/host-agent';
import { createHostDriver, type SshConnection } from '@bankswitch/host-driver';
import { fleetAdmin, type FleetAdmin } from './admin-client';
import { spawnAgent, stopChild } from './agent-process';

export const DEFAULT_BUILD = '8.0.3-0.0.24022510';

export type FleetDriver = 'http' | 'esxi-ssh';

interface InventoryHostBase {
  readonly id: string;
  readonly name: string;
  /** The host's address, always on 127.0.0.1: its API's base URL (http) or `ssh://127.0.0.1:<port>` (esxi-ssh). */
  readonly address: string;
  readonly cluster: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** One inventory entry, as `bankswitch hosts import` takes it. */
export type InventoryHost = (InventoryHostBase & { readonly driver: 'http' }) | (InventoryHostBase & { readonly driver: 'esxi-ssh'; readonly connection: SshConnection });

/** The rows of the hosts table for a fleet's inventory (what `hosts import` stores). */
export function hostRows(inventory: readonly InventoryHost[]) {
  return inventory.map((h) => ({
    id: h.id,
    name: h.name,
    address: h.address,
    cluster: h.cluster,
    labels: h.labels,
    driver: h.driver,
    ...(h.driver === 'esxi-ssh' ? { connection: { ...h.connection } } : {}),
  }));
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
  /**
   * How the engine reaches the hosts. `esxi-ssh`: each host also serves SSH and boots as
   * ESXi does (marking the booted bank VALID itself); the fleet's client key is made in
   * `dir` and the inventory pins every host's key. Default `http`.
   */
  readonly driver?: FleetDriver;
  /** esxi-ssh: root may also log in with this password (keyboard-interactive, as ESXi asks for it). */
  readonly sshPassword?: string;
  /**
   * The n-th host (from 0) listens on portBase + n; without it, on a port the kernel
   * picks from its ephemeral range. A large fleet wants ports below that range
   * (32768–60999 on Linux): a host closes its port while it reboots, and there any
   * outgoing connection or another program's free-port pick may take it meanwhile.
   */
  readonly portBase?: number;
}

/** Refuses a base below 1024, or one whose fleet of `hosts` would pass port 65535, saying which bases fit. */
function checkPortBase(portBase: number, hosts: number): void {
  const to = portBase + hosts - 1;
  if (!Number.isInteger(portBase) || portBase < 1024 || to > 65535) {
    throw new Error(`a fleet of ${hosts} hosts from port ${portBase} needs ports ${portBase}–${to}: choose a base from 1024 up to ${65535 - hosts + 1}`);
  }
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

  const planned = options.clusters
    .flatMap((cluster) => {
      const width = Math.max(2, String(cluster.hosts).length);
      return Array.from({ length: cluster.hosts }, (_, i) => {
        const n = pad(i + 1, width);
        return { id: `${cluster.name}-esx${n}`, name: `esx${n}.${cluster.name}.sim.local`, cluster: cluster.name };
      });
    })
    // The n-th host's port (0: the kernel picks one at its first boot).
    .map((host, n) => ({ ...host, port: options.portBase === undefined ? 0 : options.portBase + n }));
  if (options.portBase !== undefined) checkPortBase(options.portBase, planned.length);
  const groups: (typeof planned)[] = [];
  for (let i = 0; i < planned.length; i += perProcess) groups.push(planned.slice(i, i + perProcess));

  const driver = options.driver ?? 'http';
  const clientKey = driver === 'esxi-ssh' ? await ensureClientKey(dir) : undefined;
  const agents: AgentInfo[] = [];
  const children: (ChildProcess | null)[] = [];
  const configPaths: string[] = [];
  for (const [index, group] of groups.entries()) {
    const config: AgentConfig = {
      rebootMs: options.rebootMs ?? 300,
      exitWithParent: true,
      ...(clientKey ? { ssh: { authorizedKey: clientKey.publicKey, ...(options.sshPassword ? { password: options.sshPassword } : {}) }, commitAtBoot: true } : {}),
      buildFaults: { ...options.faults?.builds },
      hosts: group.map((host) => ({
        dir: path.join(dir, 'hosts', host.id),
        init: {
          hostId: host.id,
          name: host.name,
          build,
          previousBuild: options.previousBuild,
          ...(host.port ? { port: host.port } : {}),
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
    // An agent of thousands of hosts on a busy machine takes a while: the fleet's own bound, if longer.
    const { child, ready } = await spawnAgent(configPaths[index]!, path.join(dir, `agent-${index}.log`), Math.max(60_000, options.upTimeoutMs ?? 0));
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

  const answered = new Map<string, AgentReady['hosts'][number]>();
  try {
    // Start agents in parallel: each boots its hosts one after another.
    const readies = await Promise.all(agents.map((agent) => start(agent.index)));
    for (const ready of readies) for (const host of ready.hosts) answered.set(host.hostId, host);
  } catch (error) {
    await stop();
    throw error;
  }

  const agentIndex = new Map(agents.flatMap((agent) => agent.hostIds.map((id) => [id, agent.index] as const)));
  const inventory: InventoryHost[] = planned.map((host) => {
    const base = { id: host.id, name: host.name, cluster: host.cluster, labels: { cluster: host.cluster, agent: String(agentIndex.get(host.id)) } };
    const ready = answered.get(host.id);
    if (!clientKey) return { ...base, address: `http://127.0.0.1:${ready?.port}`, driver: 'http' };
    if (!ready?.sshPort || !ready.sshHostKey) throw new Error(`host ${host.id} reported no SSH port or host key; its agent log is in ${dir}`);
    return { ...base, address: `ssh://127.0.0.1:${ready.sshPort}`, driver: 'esxi-ssh', connection: { user: 'root', hostKey: ready.sshHostKey, keyFile: clientKey.file } };
  });

  const waitUp = async (hosts: readonly InventoryHost[]) => {
    const timeoutMs = options.upTimeoutMs ?? 30_000;
    for (let i = 0; i < hosts.length; i += 20) {
      await Promise.all(
        hosts.slice(i, i + 20).map(async (host) => {
          const hostDriver = createHostDriver(host);
          try {
            await hostDriver.waitUntilUp({ timeoutMs, pollMs: 50 });
          } finally {
            hostDriver.close?.();
          }
        }),
      );
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

/** The fleet's SSH client key (Ed25519), made once in the fleet folder: the key the simulated hosts authorize for root. */
async function ensureClientKey(dir: string): Promise<{ file: string; publicKey: string }> {
  const file = path.join(dir, 'id_ed25519');
  const existing = await fs.readFile(`${file}.pub`, 'utf8').catch(() => undefined);
  if (existing) return { file, publicKey: existing.trim() };
  const pair = ssh2.utils.generateKeyPairSync('ed25519', { comment: 'bankswitch-fleet' });
  await fs.writeFile(file, pair.private, { mode: 0o600 });
  await fs.writeFile(`${file}.pub`, `${pair.public}\n`);
  return { file, publicKey: pair.public.trim() };
}
