// What one agent process runs: which host folders, how long a reboot takes, and faults.
import { z } from 'zod';
import { faultsSchema } from './faults';

export const agentHostSchema = z.object({
  /** The host's folder; it is initialised from `init` when it holds no host.json yet. */
  dir: z.string().min(1),
  init: z
    .object({
      hostId: z.string().min(1),
      name: z.string().min(1),
      build: z.string().min(1),
      previousBuild: z.string().min(1).optional(),
      /** The loopback port it keeps (0 or absent: one the kernel picks at its first boot). */
      port: z.number().int().min(0).max(65535).optional(),
      /** Faults the host starts with (applied at initialisation only). */
      faults: faultsSchema.optional(),
    })
    .optional(),
});

export const agentConfigSchema = z.object({
  /** Time between the listener closing and the loader running, per reboot. */
  rebootMs: z.number().int().nonnegative().default(300),
  /** Loopback port of this process's admin API (0: any free port). */
  adminPort: z.number().int().nonnegative().default(0),
  hosts: z.array(agentHostSchema).min(1),
  /** Faults per image build, given to every host of this process at initialisation. */
  buildFaults: z.record(z.string(), faultsSchema).default({}),
  /** Exit when stdin closes: the launcher holds it open, so its death ends the agent. */
  exitWithParent: z.boolean().default(false),
  /** Every host also serves SSH, answering as ESXi's shell does; root logs in with this key or password. */
  ssh: z.object({ authorizedKey: z.string().min(1).optional(), password: z.string().min(1).optional() }).optional(),
  /** Hosts boot as ESXi does: the bank that booted is marked VALID during the boot. */
  commitAtBoot: z.boolean().default(false),
});
export type AgentConfig = z.input<typeof agentConfigSchema>;
export type AgentHostConfig = z.infer<typeof agentHostSchema>;

/** The one line an agent prints on stdout once every host has booted. */
export const agentReadySchema = z.object({
  event: z.literal('ready'),
  pid: z.number(),
  adminPort: z.number(),
  hosts: z.array(
    z.object({
      hostId: z.string(),
      name: z.string(),
      port: z.number(),
      status: z.string(),
      /** With `ssh`: the SSH port and the host key's fingerprint (what an inventory pins). */
      sshPort: z.number().optional(),
      sshHostKey: z.string().optional(),
    }),
  ),
});
export type AgentReady = z.infer<typeof agentReadySchema>;
