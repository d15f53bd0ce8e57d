// One simulated host's folder: two banks, the bootbank/altbootbank links, host.json,
// the boot log and the incomplete-stage marker. Every write is temp-file-then-rename.
//
// The small files a host is made of (boot.cfg, host.json, the marker, the links) are
// read and written synchronously: a few syscalls each, where an async call is thread-pool
// round trips and promises. An agent answers every request of its hosts from them, and
// its CPU is counted against the engine in the campaign benchmark. (Image payloads, which
// can be large, still stream: sim-host.ts.)
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { BankIndex, BootLogEntry, IncompleteStage } from '@bankswitch/host-driver';
import { IMAGE_FILE, installedBootCfg } from './boot-cfg-text';
import { faultsSchema } from './faults';

export const hostFileSchema = z.object({
  hostId: z.string(),
  name: z.string(),
  /** The loopback port this host keeps across reboots and agent restarts. */
  port: z.number().int().nonnegative(),
  bootCount: z.number().int().nonnegative(),
  faults: faultsSchema,
  buildFaults: z.record(z.string(), faultsSchema),
  /** Survives reboots, as on a standalone ESXi host. */
  maintenanceMode: z.boolean().default(false),
  /** The loopback port of its SSH server (0 until first bound), kept like `port`. */
  sshPort: z.number().int().nonnegative().default(0),
});
export type HostFile = z.infer<typeof hostFileSchema>;

export const bankDir = (hostDir: string, bank: BankIndex) => path.join(hostDir, `bank${bank}`);
const hostFilePath = (hostDir: string) => path.join(hostDir, 'host.json');
const markerPath = (hostDir: string) => path.join(hostDir, 'stage-incomplete.json');
const bootLogPath = (hostDir: string) => path.join(hostDir, 'boot-log.jsonl');
export const partialImagePath = (hostDir: string, bank: BankIndex) => path.join(bankDir(hostDir, bank), `${IMAGE_FILE}.partial`);

export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const temp = `${file}.tmp-${process.pid}`;
  writeFileSync(temp, data);
  renameSync(temp, file);
}

export function imagePayload(build: string): Buffer {
  return Buffer.from(`simulated ESXi image ${build}\n`.repeat(64));
}

export const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

export const isInitialised = (hostDir: string) => existsSync(hostFilePath(hostDir));

export async function readHostFile(hostDir: string): Promise<HostFile> {
  return hostFileSchema.parse(JSON.parse(await fs.readFile(hostFilePath(hostDir), 'utf8')));
}

export const writeHostFile = (hostDir: string, host: HostFile) =>
  writeFileAtomic(hostFilePath(hostDir), `${JSON.stringify(host, null, 2)}\n`);

export interface InitHost {
  hostId: string;
  name: string;
  build: string;
  /** When set, bank 1 holds this older build, VALID: the host can roll back from day one. */
  previousBuild?: string;
  /** Its loopback port; 0 or absent: the kernel picks one at the first boot. */
  port?: number;
}

/**
 * A freshly installed host: `build` in bank 0 (VALID). Bank 1 is empty, as the alternate
 * bank of a fresh ESXi install is, unless `previousBuild` is given.
 */
export async function initHostDir(hostDir: string, init: InitHost): Promise<void> {
  await fs.mkdir(bankDir(hostDir, 0), { recursive: true });
  await fs.mkdir(bankDir(hostDir, 1), { recursive: true });
  const previous = init.previousBuild;
  await writeFileAtomic(path.join(bankDir(hostDir, 0), IMAGE_FILE), imagePayload(init.build));
  await writeFileAtomic(
    path.join(bankDir(hostDir, 0), 'boot.cfg'),
    installedBootCfg({ build: init.build, updated: previous ? 2 : 1, bootstate: 0 }),
  );
  if (previous) {
    await writeFileAtomic(path.join(bankDir(hostDir, 1), IMAGE_FILE), imagePayload(previous));
    await writeFileAtomic(path.join(bankDir(hostDir, 1), 'boot.cfg'), installedBootCfg({ build: previous, updated: 1, bootstate: 0 }));
  }
  await linkBanks(hostDir, 0);
  await writeHostFile(hostDir, { hostId: init.hostId, name: init.name, port: init.port ?? 0, bootCount: 0, faults: {}, buildFaults: {}, maintenanceMode: false, sshPort: 0 });
}

export async function readBootCfg(hostDir: string, bank: BankIndex): Promise<string | null> {
  return readSmallFile(path.join(bankDir(hostDir, bank), 'boot.cfg'));
}

/** The file's text, or null when there is none. */
function readSmallFile(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

export async function writeBootCfg(hostDir: string, bank: BankIndex, text: string): Promise<void> {
  mkdirSync(bankDir(hostDir, bank), { recursive: true });
  await writeFileAtomic(path.join(bankDir(hostDir, bank), 'boot.cfg'), text);
}

/** Digests by image file, valid while the file is the same one (inode, size, times): every write of an image is a rename. */
const digests = new Map<string, { readonly stamp: string; readonly digest: string }>();

export async function imageDigest(hostDir: string, bank: BankIndex): Promise<string | null> {
  const file = path.join(bankDir(hostDir, bank), IMAGE_FILE);
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat) {
    digests.delete(file);
    return null;
  }
  const stamp = `${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}`;
  const known = digests.get(file);
  if (known?.stamp === stamp) return known.digest;
  const digest = sha256(readFileSync(file));
  digests.set(file, { stamp, digest });
  return digest;
}

/** Points /bootbank at the booted bank and /altbootbank at the other, each swapped atomically. */
export async function linkBanks(hostDir: string, booted: BankIndex): Promise<void> {
  const links: [string, BankIndex][] = [
    ['bootbank', booted],
    ['altbootbank', booted === 0 ? 1 : 0],
  ];
  for (const [name, bank] of links) {
    const temp = path.join(hostDir, `${name}.tmp-${process.pid}`);
    rmSync(temp, { force: true });
    symlinkSync(`bank${bank}`, temp);
    renameSync(temp, path.join(hostDir, name));
  }
}

export async function readIncompleteStage(hostDir: string): Promise<IncompleteStage | null> {
  // Mostly absent: one stat, not a thrown ENOENT.
  if (!existsSync(markerPath(hostDir))) return null;
  const text = readSmallFile(markerPath(hostDir));
  return text === null ? null : (JSON.parse(text) as IncompleteStage);
}

export const writeIncompleteStage = (hostDir: string, marker: IncompleteStage) =>
  writeFileAtomic(markerPath(hostDir), `${JSON.stringify(marker)}\n`);

export async function clearIncompleteStage(hostDir: string): Promise<void> {
  rmSync(markerPath(hostDir), { force: true });
  for (const bank of [0, 1] as const) rmSync(partialImagePath(hostDir, bank), { force: true });
}

export async function appendBootLog(hostDir: string, entry: BootLogEntry): Promise<void> {
  appendFileSync(bootLogPath(hostDir), `${JSON.stringify(entry)}\n`);
}

export async function readBootLog(hostDir: string, limit: number): Promise<BootLogEntry[]> {
  let text: string;
  try {
    text = await fs.readFile(bootLogPath(hostDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  return lines.slice(-limit).map((line) => JSON.parse(line) as BootLogEntry);
}
