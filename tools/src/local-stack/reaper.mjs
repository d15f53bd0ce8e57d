// Watchdog for the local stack: started detached by the process that owns the
// services, it kills them if that process dies without stopping them (a crash, a
// SIGKILL, an abort in native code), so no server outlives its owner.
//
// Usage: node reaper.mjs <folder> <owner pid> <owner start time>
//
// Each process to kill is a file <pid>.json in <folder>, {"pid", "startTime", "label"},
// written by watchdog.ts (from any process) right after the process started. The set
// may change while the watchdog runs: a server restarted on purpose is registered again
// under its new pid, one stopped on purpose is removed. Removing the folder stops the
// watchdog (the owner does so when it stops the stack).
//
// Processes are told apart by pid *and* start time (process-identity.mjs), never by pid
// alone, because pids are reused once their process has exited:
// - the owner counts as gone once its pid is free or taken by another process, so a
//   reused owner pid cannot keep the watchdog waiting forever;
// - a target is killed only while its pid is still taken by the very process that was
//   registered; if that process has exited (say PostgreSQL was restarted out of band)
//   and an unrelated process now has its pid, that process is left alone.
// Between the check and the kill lie microseconds; Linux would have to go through its
// whole pid space in that time to hand the pid to another process.
//
// Dependency-free on purpose: it runs as `node reaper.mjs`, detached, with no loader.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { isSameProcess } from './process-identity.mjs';

const POLL_MS = 500;
const [folder, ownerPid, ownerStartTime] = process.argv.slice(2);
if (!folder || !ownerPid || !ownerStartTime) {
  console.error('usage: node reaper.mjs <folder> <owner pid> <owner start time>');
  process.exit(2);
}
const owner = { pid: Number(ownerPid), startTime: ownerStartTime };

/** The registered targets, or undefined once the folder is gone. */
function readTargets() {
  let names;
  try {
    names = readdirSync(folder);
  } catch (error) {
    if (error && error.code === 'ENOENT') return undefined;
    return lastTargets; // a passing error: keep what was known
  }
  const targets = [];
  for (const name of names) {
    // Writers create `.<pid>.json.<random>` and rename it, so a <pid>.json is complete.
    if (!/^\d+\.json$/.test(name)) continue;
    try {
      const target = JSON.parse(readFileSync(path.join(folder, name), 'utf8'));
      if (Number.isSafeInteger(target.pid) && typeof target.startTime === 'string') targets.push(target);
    } catch {
      // removed meanwhile (unwatched), or not ours
    }
  }
  return targets;
}

let lastTargets = [];
setInterval(() => {
  const targets = readTargets();
  if (targets === undefined) process.exit(0); // the owner stopped the stack
  lastTargets = targets;
  if (isSameProcess(owner)) return;
  for (const target of targets) {
    if (target.pid === process.pid || !isSameProcess(target)) continue; // exited, its pid free or someone else's
    try {
      process.kill(target.pid, 'SIGKILL');
    } catch {
      // exited just now
    }
  }
  rmSync(folder, { recursive: true, force: true });
  process.exit(0);
}, POLL_MS);
