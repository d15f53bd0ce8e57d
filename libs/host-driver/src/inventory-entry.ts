import { z } from 'zod';
import type { HostInventoryEntry } from './host-driver';

/** How the esxi-ssh driver logs in: the user, the pinned host key, and where the credentials are (never the secrets). */
export const sshConnectionSchema = z
  .object({
    user: z.string().min(1).max(64).default('root'),
    hostKey: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'expected the host key fingerprint as ssh-keygen -l prints it: SHA256:<43 characters>'),
    keyFile: z.string().min(1).max(4096).optional(),
    passwordEnv: z.string().max(255).regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected the name of an environment variable').optional(),
    passwordFile: z.string().min(1).max(4096).optional(),
    depotDir: z.string().max(4096).regex(/^\/[^\s'"]*$/, 'expected an absolute path on the host without spaces or quotes, e.g. /vmfs/volumes/datastore1/bankswitch').optional(),
  })
  .strict()
  .refine((c) => [c.keyFile, c.passwordEnv, c.passwordFile].filter((v) => v !== undefined).length === 1, {
    message: 'name exactly one of keyFile, passwordEnv or passwordFile (where the credentials are; never the secret itself)',
  });

export const DRIVERS = ['http', 'esxi-ssh'] as const;

/** An inventory row (the hosts table) as the driver factory takes it; a clear error when its connection does not fit its driver. */
export function inventoryEntryOf(row: { id: string; name: string; address: string; driver: string; connection?: unknown }): HostInventoryEntry {
  const ref = { id: row.id, name: row.name, address: row.address };
  if (row.driver === 'http') return { ...ref, driver: 'http' };
  if (row.driver === 'esxi-ssh') {
    const parsed = sshConnectionSchema.safeParse(row.connection ?? {});
    if (!parsed.success) {
      throw new Error(`host ${row.id}: its esxi-ssh connection is not usable (${parsed.error.issues.map((i) => `${i.path.join('.') || 'connection'}: ${i.message}`).join('; ')}); import the inventory again with it fixed`);
    }
    return { ...ref, driver: 'esxi-ssh', connection: parsed.data };
  }
  throw new Error(`host ${row.id} uses driver "${row.driver}", which this version does not have (drivers: ${DRIVERS.join(', ')})`);
}
