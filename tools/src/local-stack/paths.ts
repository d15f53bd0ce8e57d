import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const workspaceRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Ignored folder for data the local stack creates (databases, Temporal state, fleets). */
export const dataRoot = path.join(workspaceRoot, '.data');

/** Per-user cache outside the clone: CI runs in a fresh clone, the cache survives it. */
export function userCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'bankswitch');
}
