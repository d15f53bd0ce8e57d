// Per-process admin API: the test bench's hands on the hosts (faults, power, console).
import Fastify, { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { runShell } from './esxi-shell';
import { faultsSchema } from './faults';
import type { SimHost } from './sim-host';

const hostParams = z.object({ hostId: z.string() });
const buildParams = z.object({ build: z.string() });
const shellBody = z.object({ command: z.string().min(1), stdin: z.string().default('') });

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

  // One command of the host's ESXi shell, as its SSH server runs it: what a real sshd's
  // ForceCommand bridges to (tools/scripts/esxi-shell-bridge.mjs). stdin in base64.
  app.post('/hosts/:hostId/shell', async (request, reply) => {
    const host = hostOf(request.params);
    if (!host) return reply.code(404).send(noHost(request.params));
    const body = shellBody.safeParse(request.body ?? {});
    if (!body.success) return reply.code(400).send(badFaults(body.error));
    if (host.status !== 'up') return reply.code(503).send({ error: 'not-up', message: `host ${host.id} is ${host.status}` });
    const result = await runShell({ host, dir: host.dir }, body.data.command, Buffer.from(body.data.stdin, 'base64'));
    if (result.after) reply.raw.once('finish', result.after);
    return { stdout: result.stdout, stderr: result.stderr, code: result.code };
  });

  return app;
}
