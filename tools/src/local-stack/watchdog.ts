import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataRoot } from './paths';
import { isSameProcess, processIdentity, type ProcessIdentity } from './process-identity.mjs';

export { isSameProcess, processIdentity, type ProcessIdentity } from './process-identity.mjs';

/**
 * Names the folder of the local stack's watchdog. `startLocalStack` sets it, so that
 * processes started afterwards (test workers, tools) can register processes they start
 * with `watchProcess` without a handle on the stack.
 */
export const WATCHDOG_DIR_ENV = 'BANKSWITCH_WATCHDOG_DIR';

/** A process the watchdog kills if the owner dies; `label` only says what it is. */
export interface WatchedProcess extends ProcessIdentity {
  readonly label?: string;
}

export interface Watchdog {
  /** The folder reaper.mjs reads the processes to kill from (one `<pid>.json` each). */
  readonly dir: string;
  watch(pid: number, label?: string): WatchedProcess | undefined;
  unwatch(target: number | WatchedProcess): void;
  /** Ends the watchdog without killing anything (the owner stopped the services itself). */
  stop(): void;
}

export interface WatchdogOptions {
  /** Part of the folder name under .data/. */
  readonly name: string;
  /** The process whose death sets the watchdog off (default: this one). */
  readonly owner?: number;
  /** The folder to use instead of one under .data/. */
  readonly dir?: string;
}

/**
 * Starts reaper.mjs, detached, to kill the processes registered with it once the owner
 * has died without stopping them. Both are identified by pid and start time (see
 * process-identity.mjs), so a reused pid is neither killed nor taken for the owner.
 * Undefined when the owner's start time cannot be read (then no process could be told
 * from a later one with its pid, and the safe choice is to watch nothing).
 */
export function startWatchdog(options: WatchdogOptions): Watchdog | undefined {
  const owner = processIdentity(options.owner ?? process.pid);
  if (!owner) return undefined;
  const dir = options.dir ?? path.join(dataRoot, `watchdog-${options.name}-${process.pid}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const script = fileURLToPath(new URL('./reaper.mjs', import.meta.url));
  const child = spawn(process.execPath, [script, dir, String(owner.pid), owner.startTime], { detached: true, stdio: 'ignore' });
  child.on('error', () => {}); // not started: nothing to watch with, the services still stop normally
  child.unref();
  return {
    dir,
    watch: (pid, label) => watchProcess(pid, { dir, label }),
    unwatch: (target) => unwatchProcess(target, { dir }),
    stop() {
      // Removing the folder ends the reaper at its next poll; the signal ends it now.
      // kill() goes through the child handle, which knows whether the child has exited.
      fs.rmSync(dir, { recursive: true, force: true });
      child.kill();
    },
  };
}

/**
 * Tells a running watchdog to kill this process too if its owner dies, e.g. a server
 * that a test has restarted under a new pid. Call it right after starting the process:
 * its start time is recorded now, and the watchdog kills only a process with that pid
 * and that start time. The watchdog is the one in `options.dir`, else the one named by
 * BANKSWITCH_WATCHDOG_DIR (the local stack's). Returns what was recorded, or undefined
 * when there is no watchdog or no such process.
 */
export function watchProcess(pid: number, options: { label?: string; dir?: string } = {}): WatchedProcess | undefined {
  const dir = options.dir ?? process.env[WATCHDOG_DIR_ENV];
  if (!dir) return undefined;
  const identity = processIdentity(pid);
  if (!identity) return undefined;
  const target: WatchedProcess = { ...identity, ...(options.label ? { label: options.label } : {}) };
  // Written whole, then renamed: the reaper reads only complete <pid>.json files.
  const temp = path.join(dir, `.${pid}.json.${randomUUID()}`);
  fs.writeFileSync(temp, JSON.stringify(target));
  fs.renameSync(temp, targetFile(dir, pid));
  return target;
}

/**
 * Stops watching a process (one stopped on purpose). Given the identity `watchProcess`
 * returned, it leaves alone a newer registration of another process under the same pid.
 */
export function unwatchProcess(target: number | WatchedProcess, options: { dir?: string } = {}): void {
  const dir = options.dir ?? process.env[WATCHDOG_DIR_ENV];
  if (!dir) return;
  const pid = typeof target === 'number' ? target : target.pid;
  const file = targetFile(dir, pid);
  if (typeof target !== 'number') {
    const recorded = readTarget(file);
    if (!recorded || recorded.startTime !== target.startTime) return;
  }
  fs.rmSync(file, { force: true });
}

/** The processes a watchdog would kill if its owner died now (those still running). */
export function watchedProcesses(dir: string): WatchedProcess[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => /^\d+\.json$/.test(name))
    .map((name) => readTarget(path.join(dir, name)))
    .filter((target): target is WatchedProcess => target !== undefined && isSameProcess(target));
}

function targetFile(dir: string, pid: number): string {
  return path.join(dir, `${pid}.json`);
}

function readTarget(file: string): WatchedProcess | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as WatchedProcess;
  } catch {
    return undefined;
  }
}
