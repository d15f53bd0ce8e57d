import fs from 'node:fs/promises';
import path from 'node:path';
import type { Fleet } from '../fleet/index';

/**
 * Truncates the boot.cfg of the bank a simulated host runs (bank 0 on a fresh host), as
 * a full disk or a bad write would: `bootstate=0` survives, the build and the counter
 * do not. The loader would not boot that bank again; staging over the other bank would
 * leave the host with no image known to boot.
 */
export async function writeDamagedBootCfg(fleet: Fleet, hostId: string): Promise<void> {
  const file = path.join(fleet.dir, 'hosts', hostId, 'bank0', 'boot.cfg');
  const text = await fs.readFile(file, 'utf8');
  await fs.writeFile(file, text.slice(0, text.indexOf('\n', text.indexOf('bootstate=')) + 12));
}
