// The inventory file, as operators (or tools/src/fleet) write it: every field bounded, so
// that an import cannot fill the hosts table, the logs or an answer with one huge value.
import { z } from 'zod';
import { DRIVERS, sshConnectionSchema } from '@bankswitch/host-driver';

export const INVENTORY_LIMITS = {
  /** Hosts per import: more is one long transaction; split the file instead. */
  hosts: 5_000,
  id: 128,
  /** A DNS name's maximum. */
  name: 253,
  cluster: 128,
  address: 2_048,
  labels: 64,
  /** As Kubernetes bounds label names and vSphere tag categories: short keys, longer values. */
  labelKey: 63,
  labelValue: 253,
} as const;

const L = INVENTORY_LIMITS;
const atMost = (n: number) => ({ error: `at most ${n.toLocaleString('en-US')} characters` });

/** Label keys and values, bounded in length and count. */
export const labelsSchema = z.record(z.string(), z.string().max(L.labelValue, atMost(L.labelValue))).superRefine((labels, ctx) => {
  const keys = Object.keys(labels);
  if (keys.length > L.labels) ctx.addIssue({ code: 'custom', message: `${keys.length} labels; at most ${L.labels} per host` });
  for (const key of keys) {
    if (key.length === 0 || key.length > L.labelKey) {
      ctx.addIssue({ code: 'custom', path: [key], message: `a label key must have 1 to ${L.labelKey} characters (this one has ${key.length})` });
    }
  }
});

export const hostSchema = z
  .object({
    id: z
      .string()
      .max(L.id, atMost(L.id))
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected letters, digits, ".", "_" or "-"'),
    name: z.string().min(1).max(L.name, atMost(L.name)),
    address: z
      .url({ message: 'expected the URL of the host API (http driver, e.g. http://10.0.0.5:8443) or ssh://<host>[:port] (esxi-ssh driver)' })
      .max(L.address, atMost(L.address)),
    cluster: z.string().min(1).max(L.cluster, atMost(L.cluster)),
    labels: labelsSchema.default({}),
    driver: z.enum(DRIVERS, { error: `expected one of ${DRIVERS.join(', ')}` }).default('http'),
    /** esxi-ssh: the user, the pinned host key, and where the credentials are (a key file, or a password's environment variable or file). */
    connection: sshConnectionSchema.optional(),
  })
  .strict()
  .superRefine((host, ctx) => {
    if (host.driver === 'esxi-ssh' && !host.connection) {
      ctx.addIssue({ code: 'custom', path: ['connection'], message: 'an esxi-ssh host needs connection: { user, hostKey: "SHA256:…", keyFile | passwordEnv | passwordFile }' });
    }
    if (host.driver === 'esxi-ssh' && !host.address.startsWith('ssh://')) {
      ctx.addIssue({ code: 'custom', path: ['address'], message: 'an esxi-ssh host is reached at ssh://<host>[:port]' });
    }
  });

export const inventoryHostsSchema = z.array(hostSchema);

/** A JSON array of hosts, or `{ hosts: [...] }`. */
export const inventorySchema = z.union([inventoryHostsSchema, z.object({ hosts: inventoryHostsSchema }).strict().transform((v) => v.hosts)]).describe('An inventory: a JSON array of hosts (or { hosts: [...] })');

export type InventoryEntry = z.infer<typeof hostSchema>;
