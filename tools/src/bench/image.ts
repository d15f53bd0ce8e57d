import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** A small image file for a build, with its sha256. */
export function writeImage(dir: string, build: string): { path: string; sha256: string; build: string } {
  const payload = Buffer.from(`ESXi ${build} image\n`.repeat(4096));
  const file = path.join(dir, `esxi-${build}.iso`);
  fs.writeFileSync(file, payload);
  return { path: file, sha256: createHash('sha256').update(payload).digest('hex'), build };
}
