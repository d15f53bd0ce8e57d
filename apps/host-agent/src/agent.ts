// One agent process: opens (or initialises) each host folder, boots the hosts, serves
// the admin API. Hosts are independent; one process holds many to keep a fleet small.
import type { Logger } from 'pino';
import { agentConfigSchema, type AgentConfig, type AgentReady } from './config';
import { buildAdminApi } from './admin-api';
import { createHostApi } from './host-api';
import { initHostDir, isInitialised, readHostFile, writeHostFile } from './host-disk';
import { SimHost } from './sim-host';
import { sshHostKeyFingerprint } from './ssh-host-key';

export interface RunningAgent {
  readonly ready: AgentReady;
  readonly hosts: ReadonlyMap<string, SimHost>;
  stop(): Promise<void>;
}

export async function startAgent(input: AgentConfig, log: Logger): Promise<RunningAgent> {
  const config = agentConfigSchema.parse(input);
  const hosts = new Map<string, SimHost>();
  // One app for all the process's hosts; each host listens on its own port.
  const api = createHostApi();
  for (const entry of config.hosts) {
    if (!isInitialised(entry.dir)) {
      if (!entry.init) throw new Error(`host folder ${entry.dir} is not initialised; give it an init (or --init)`);
      await initHostDir(entry.dir, entry.init);
      const file = await readHostFile(entry.dir);
      await writeHostFile(entry.dir, { ...file, faults: entry.init.faults ?? {}, buildFaults: config.buildFaults });
    }
    const host = await SimHost.open({
      dir: entry.dir,
      rebootMs: config.rebootMs,
      log,
      api,
      ...(config.ssh ? { ssh: config.ssh } : {}),
      commitAtBoot: config.commitAtBoot,
    });
    if (hosts.has(host.id)) throw new Error(`host id ${host.id} appears twice (${entry.dir})`);
    hosts.set(host.id, host);
  }
  // Boot sequentially: each boot binds a port, and a fleet's first start has many.
  for (const host of hosts.values()) await host.powerOn();

  const admin = buildAdminApi(hosts);
  await admin.listen({ host: '127.0.0.1', port: config.adminPort });
  const address = admin.server.address();
  const ready: AgentReady = {
    event: 'ready',
    pid: process.pid,
    adminPort: address && typeof address === 'object' ? address.port : 0,
    hosts: await Promise.all(
      [...hosts.values()].map(async (host) => ({
        hostId: host.id,
        name: host.name,
        port: host.port,
        status: host.status,
        ...(config.ssh ? { sshPort: host.sshPort, sshHostKey: await sshHostKeyFingerprint(host.dir) } : {}),
      })),
    ),
  };
  return {
    ready,
    hosts,
    async stop() {
      await admin.close();
      await Promise.all([...hosts.values()].map((host) => host.shutdown()));
      await api.close();
    },
  };
}
