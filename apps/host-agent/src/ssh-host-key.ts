import fs from 'node:fs/promises';
import path from 'node:path';
import ssh2 from 'ssh2';
import { fingerprintOf } from '@bankswitch/host-driver';

const keyFile = (hostDir: string) => path.join(hostDir, 'ssh_host_ecdsa_key');

/** The host's SSH key (ECDSA P-256, as ESXi 7 and 8 generate), made once and kept in its folder. */
export async function ensureSshHostKey(hostDir: string): Promise<string> {
  const existing = await fs.readFile(keyFile(hostDir), 'utf8').catch(() => undefined);
  if (existing) return existing;
  const pair = ssh2.utils.generateKeyPairSync('ecdsa', { bits: 256 });
  await fs.writeFile(keyFile(hostDir), pair.private, { mode: 0o600 });
  await fs.writeFile(`${keyFile(hostDir)}.pub`, `${pair.public}\n`);
  return pair.private;
}

/** `SHA256:…` of the host key, as `ssh-keygen -l` prints it: what an inventory pins. */
export async function sshHostKeyFingerprint(hostDir: string): Promise<string> {
  const parsed = ssh2.utils.parseKey(await ensureSshHostKey(hostDir));
  if (parsed instanceof Error) throw parsed;
  return fingerprintOf(parsed.getPublicSSH());
}
