// BANKSWITCH_TRUSTED_IMAGE_KEYS: the public keys the worker trusts to sign images. Each
// entry is a PEM file, or a folder whose *.pem files are read; a key is named by its file
// name in events (ImageStaged.signedBy) and refusals.
import fs from 'node:fs/promises';
import path from 'node:path';
import { trustedImageKey, type TrustedImageKey } from '@bankswitch/activities';

export async function loadTrustedImageKeys(paths: readonly string[]): Promise<TrustedImageKey[]> {
  const keys: TrustedImageKey[] = [];
  for (const entry of paths) {
    const stat = await fs.stat(entry).catch(() => {
      throw new Error(`BANKSWITCH_TRUSTED_IMAGE_KEYS: ${entry} does not exist; name PEM files or folders of *.pem, comma-separated`);
    });
    const files = stat.isDirectory()
      ? (await fs.readdir(entry)).filter((name) => name.endsWith('.pem')).sort().map((name) => path.join(entry, name))
      : [entry];
    for (const file of files) keys.push(trustedImageKey(path.basename(file), await fs.readFile(file, 'utf8')));
  }
  const ids = keys.map((k) => k.id);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice) throw new Error(`BANKSWITCH_TRUSTED_IMAGE_KEYS: two keys are named ${twice}; give each key file its own name (events name the key that signed)`);
  return keys;
}
