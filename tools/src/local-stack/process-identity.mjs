// Which process a pid stands for. A pid alone is not an identity: once a process has
// exited, the kernel hands its pid to the next process that needs one, so "kill pid
// 1234 later" may kill an unrelated process, and "pid 1234 is alive" may be true of
// another process. A pid together with the process's start time is an identity for as
// long as the machine runs: Linux hands out pids in increasing order and wraps around, so
// another process with the same pid *and* the same start time (clock ticks since boot)
// would need the whole pid space to be used up within one tick.
//
// The command line is deliberately not part of the identity: a process may rewrite it
// (PostgreSQL sets its own process titles), and the same command line can come back
// under the same pid (another stack's PostgreSQL), whereas the start time cannot.
//
// Linux: field 22 of /proc/<pid>/stat. Elsewhere (macOS): `ps -o lstart=`, which is to
// the second only but still tells a restarted process from the one recorded. Where
// neither works, nothing has an identity, and the watchdog kills nothing.
//
// Plain JavaScript without dependencies: reaper.mjs imports it and runs as
// `node reaper.mjs`, without a TypeScript loader; process-identity.d.mts types it.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * The identity of the running process with this pid, or undefined when there is none
 * (or it has exited and waits to be reaped, a zombie).
 * @param {number} pid
 * @returns {{ pid: number, startTime: string } | undefined}
 */
export function processIdentity(pid) {
  const found = inspect(pid);
  return found && !found.exited ? { pid, startTime: found.startTime } : undefined;
}

/**
 * True when the process recorded as `identity` is still running: its pid is taken by a
 * process with the same start time, not a zombie. False for a pid that is free or taken
 * by another process since.
 * @param {{ pid: number, startTime: string }} identity
 * @returns {boolean}
 */
export function isSameProcess(identity) {
  const found = inspect(identity.pid);
  return found !== undefined && !found.exited && typeof identity.startTime === 'string' && found.startTime === identity.startTime;
}

/**
 * @param {number} pid
 * @returns {{ startTime: string, exited: boolean } | undefined}
 */
function inspect(pid) {
  if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
  return process.platform === 'linux' ? fromProcStat(pid) : fromPs(pid);
}

/**
 * Linux: `/proc/<pid>/stat` is "pid (comm) state ppid …"; comm may hold spaces and
 * parentheses, so the fields are counted after the last ')'. Field 3 is the state,
 * field 22 the start time in clock ticks after boot.
 * @param {number} pid
 * @returns {{ startTime: string, exited: boolean } | undefined}
 */
export function fromProcStat(pid) {
  let stat;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const startTime = fields[22 - 3];
  if (!state || !startTime || !/^\d+$/.test(startTime)) return undefined;
  return { startTime, exited: state === 'Z' || state === 'X' };
}

/**
 * Other Unix systems: `ps -o stat= -o lstart= -p <pid>`, e.g. "Ss Mon Dec  1 10:00:00 2025".
 * @param {number} pid
 * @returns {{ startTime: string, exited: boolean } | undefined}
 */
export function fromPs(pid) {
  let output;
  try {
    output = execFileSync('ps', ['-o', 'stat=', '-o', 'lstart=', '-p', String(pid)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5_000,
    });
  } catch {
    return undefined; // no such process (ps exits 1), or no ps
  }
  const [state, ...start] = output.trim().split(/\s+/);
  if (!state || start.length === 0) return undefined;
  return { startTime: start.join(' '), exited: state.startsWith('Z') };
}
