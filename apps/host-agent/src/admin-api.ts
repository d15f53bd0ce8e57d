// Per-process admin API: the test bench's hands on the hosts (faults, power, console).
import Fastify, { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { faultsSchema } from './faults';
import type { SimHost } from './sim-host';

const hostParams = z.object({ hostId: z.string() });
const buildParams = z.object({ build: z.string() });

export function buildAdminApi(hosts: ReadonlyMap<string, SimHost>): FastifyInstance {
  const app = Fastify({ logger: false, forceCloseConnections: true });

  const hostOf = (params: unknown): SimHost | undefined => {
    const parsed = hostParams.safeParse(params);
    return parsed.success ? hosts.get(parsed.data.hostId) : undefined;
  };
  const noHost = (params: unknown) => ({ error: 'not-found', message: `no host ${JSON.stringify(params)} in this agent` });
  const badFaults = (error: z.ZodError) => ({ error: 'bad-request', message: error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });

  app.get('/hosts', () => ({ hosts: [...hosts.values()].map((host) => host.summary) }));

  app.put('/hosts/:hostId/faults', async (request, reply) => {
    const host = hostOf(request.params);
    if (!host) return reply.code(404).send(noHost(request.params));
    const faults = faultsSchema.safeParse(request.body ?? {});
    if (!faults.success) return reply.code(400).send(badFaults(faults.error));
    await host.setFaults(faults.data);
    return host.summary;
  });

  app.put('/builds/:build/faults', async (request, reply) => {
    const { build } = buildParams.parse(request.params);
    const faults = faultsSchema.safeParse(request.body ?? {});
    if (!faults.success) return reply.code(400).send(badFaults(faults.error));
    for (const host of hosts.values()) await host.setBuildFaults(build, faults.data);
    return { build, faults: faults.data, hosts: hosts.size };
  });

  // Hard reset (e.g. of a hung host): the host boots again after the reboot time.
  app.post('/hosts/:hostId/power-cycle', async (request, reply) => {
    const host = hostOf(request.params);
    if (!host) return reply.code(404).send(noHost(request.params));
    await host.powerCycle(false);
    return reply.code(202).send(host.summary);
  });

  // Reboot with Shift+R held at the console: the loader rolls back if it can.
  app.post('/hosts/:hostId/console/shift-r', async (request, reply) => {
    const host = hostOf(request.params);
    if (!host) return reply.code(404).send(noHost(request.params));
    await host.powerCycle(true);
    return reply.code(202).send(host.summary);
  });

  return app;
}
