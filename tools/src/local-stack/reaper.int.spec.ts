// The local stack's watchdog (reaper.mjs) against real processes: it kills what was
// registered once the owner dies, and tells processes apart by pid and start time, so a
// reused pid is neither killed nor mistaken for the owner. Pid reuse cannot be forced
// in a test; it is simulated by recording, for a live process, the start time of a
// process that has exited, which is what the watchdog sees when a pid is reused.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { startPostgres } from './postgres';
import { fromProcStat, fromPs, isSameProcess, processIdentity, type ProcessIdentity } from './process-identity.mjs';
import { startWatchdog, unwatchProcess, watchedProcesses, watchProcess, WATCHDOG_DIR_ENV, type Watchdog } from './watchdog';

const reaperScript = fileURLToPath(new URL('./reaper.mjs', import.meta.url));
const children: ChildProcess[] = [];
const watchdogs: Watchdog[] = [];
const folders: string[] = [];

afterEach(() => {
  for (const watchdog of watchdogs.splice(0)) watchdog.stop();
  // Through the handles: a child that has exited is not signalled again.
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const folder of folders.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
});

/** A plain long-running process (stands for a server, an owner, or an unrelated process). */
function idle(): ChildProcess & { pid: number } {
  const child = spawn('sleep', ['600'], { stdio: 'ignore' });
  children.push(child);
  if (child.pid === undefined) throw new Error('sleep did not start');
  return child as ChildProcess & { pid: number };
}

function running(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

function exited(child: ChildProcess, timeoutMs = 5_000): Promise<NodeJS.Signals | number | null> {
  if (!running(child)) return Promise.resolve(child.signalCode ?? child.exitCode);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`pid ${child.pid} still running after ${timeoutMs} ms`)), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(signal ?? code);
    });
  });
}

async function kill(child: ChildProcess): Promise<void> {
  child.kill('SIGKILL');
  await exited(child);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function folder(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bankswitch-watchdog-'));
  folders.push(dir);
  return dir;
}

function watchdogFor(owner: ChildProcess & { pid: number }): Watchdog {
  const watchdog = startWatchdog({ name: 'test', owner: owner.pid, dir: path.join(folder(), 'watchdog') });
  if (!watchdog) throw new Error('no watchdog: the owner has no identity');
  watchdogs.push(watchdog);
  return watchdog;
}

/** The reaper removes its folder once it has acted on the owner's death. */
async function actedOn(dir: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (fs.existsSync(dir)) {
    if (Date.now() > deadline) throw new Error(`the reaper has not acted after ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** The identity of a process that has exited: what a recorded pid points to after a reuse. */
async function exitedProcessIdentity(): Promise<ProcessIdentity> {
  const gone = idle();
  const identity = processIdentity(gone.pid);
  expect(identity).toBeDefined();
  await sleep(50); // the next process starts in a later clock tick (10 ms each)
  await kill(gone);
  return identity!;
}

describe('process identity', () => {
  test('a live process is itself; an exited one is not; a pid with another start time is another process', async () => {
    const stale = await exitedProcessIdentity();
    expect(isSameProcess(stale)).toBe(false);

    const live = idle();
    const identity = processIdentity(live.pid)!;
    expect(identity).toEqual({ pid: live.pid, startTime: expect.any(String) });
    expect(isSameProcess(identity)).toBe(true);
    expect(identity.startTime).not.toBe(stale.startTime);
    // The recorded pid now belongs to a live process that started at another time.
    expect(isSameProcess({ pid: live.pid, startTime: stale.startTime })).toBe(false);
  });

  test.skipIf(process.platform !== 'linux')('/proc/<pid>/stat is read past a command name with spaces and parentheses', () => {
    const odd = path.join(folder(), 'odd) (name 1 2');
    fs.symlinkSync(fs.realpathSync('/bin/sleep'), odd);
    // Plain-named neighbours, whose field 22 a plain split finds: start times only grow.
    const plainStart = (pid: number) => Number(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[21]);
    const before = idle();
    const child = spawn(odd, ['600'], { stdio: 'ignore' });
    children.push(child);
    const after = idle();
    expect(fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8')).toContain('(odd) (name 1 2)');
    const found = fromProcStat(child.pid!);
    expect(found).toEqual({ startTime: expect.stringMatching(/^\d+$/), exited: false });
    expect(Number(found!.startTime)).toBeGreaterThanOrEqual(plainStart(before.pid));
    expect(Number(found!.startTime)).toBeLessThanOrEqual(plainStart(after.pid));
  });

  const hasPs = spawnSync('ps', ['-p', String(process.pid)]).status === 0;
  test.skipIf(!hasPs)('the ps fallback (other Unix systems) tells a live process from an exited one', async () => {
    const live = idle();
    const first = fromPs(live.pid);
    expect(first).toEqual({ startTime: expect.stringMatching(/\d\d:\d\d:\d\d/), exited: false });
    expect(fromPs(live.pid)).toEqual(first);
    await kill(live);
    expect(fromPs(live.pid)).toBeUndefined();
  });
});

describe('reaper', () => {
  test('kills a watched process once its owner dies, and not before', async () => {
    const owner = idle();
    const server = idle();
    const watchdog = watchdogFor(owner);
    expect(watchdog.watch(server.pid, 'server')).toMatchObject({ pid: server.pid, label: 'server' });

    await sleep(1_500); // three polls with the owner alive
    expect(running(server)).toBe(true);

    await kill(owner);
    expect(await exited(server)).toBe('SIGKILL');
    await actedOn(watchdog.dir);
  });

  test('does not kill a process that has the pid of a watched process but another start time', async () => {
    const owner = idle();
    const server = idle();
    const watchdog = watchdogFor(owner);
    watchdog.watch(server.pid, 'server');
    // A registered process exited, and `unrelated` got its pid: the folder records the
    // pid with the start time of the process that exited.
    const stale = await exitedProcessIdentity();
    const unrelated = idle();
    fs.writeFileSync(path.join(watchdog.dir, `${unrelated.pid}.json`), JSON.stringify({ pid: unrelated.pid, startTime: stale.startTime }));
    expect(isSameProcess({ pid: unrelated.pid, startTime: stale.startTime })).toBe(false);

    await kill(owner);
    expect(await exited(server)).toBe('SIGKILL');
    await actedOn(watchdog.dir);
    await sleep(200);
    expect(running(unrelated)).toBe(true);
  });

  test('takes an owner whose pid is now another process for gone', async () => {
    const server = idle();
    const dir = path.join(folder(), 'watchdog');
    fs.mkdirSync(dir);
    expect(watchProcess(server.pid, { dir, label: 'server' })).toBeDefined();
    // The owner exited and `successor` got its pid.
    const ownerThatExited = await exitedProcessIdentity();
    const successor = idle();
    expect(isSameProcess({ pid: successor.pid, startTime: ownerThatExited.startTime })).toBe(false);

    const reaper = spawn(process.execPath, [reaperScript, dir, String(successor.pid), ownerThatExited.startTime], { stdio: 'ignore' });
    children.push(reaper);
    expect(await exited(server)).toBe('SIGKILL');
    expect(await exited(reaper)).toBe(0);
    expect(fs.existsSync(dir)).toBe(false);
    expect(running(successor)).toBe(true);
  });

  test('learns about processes started after it, and forgets those unwatched', async () => {
    const owner = idle();
    const watchdog = watchdogFor(owner);
    await sleep(700); // the reaper is polling before anything is registered
    const restarted = idle();
    const stoppedOnPurpose = idle();
    const watched = watchProcess(restarted.pid, { dir: watchdog.dir, label: 'restarted' });
    const unwatched = watchProcess(stoppedOnPurpose.pid, { dir: watchdog.dir, label: 'stopped' })!;
    expect(watchedProcesses(watchdog.dir).map((p) => p.label).sort()).toEqual(['restarted', 'stopped']);
    await sleep(700); // the reaper has read both

    // Unwatching by an identity that is not the one registered leaves the registration.
    unwatchProcess({ pid: stoppedOnPurpose.pid, startTime: 'another process' }, { dir: watchdog.dir });
    expect(watchedProcesses(watchdog.dir)).toHaveLength(2);
    unwatchProcess(unwatched, { dir: watchdog.dir });
    expect(watchedProcesses(watchdog.dir)).toEqual([watched]);

    await kill(owner);
    expect(await exited(restarted)).toBe('SIGKILL');
    await actedOn(watchdog.dir);
    await sleep(200);
    expect(running(stoppedOnPurpose)).toBe(true);
  });

  test('stop() ends the reaper without killing anything', async () => {
    const owner = idle();
    const server = idle();
    const watchdog = watchdogFor(owner);
    watchdog.watch(server.pid);
    watchdog.stop();
    expect(fs.existsSync(watchdog.dir)).toBe(false);
    await kill(owner);
    await sleep(1_200);
    expect(running(server)).toBe(true);
  });
});

describe("the local stack's watchdog", () => {
  // Set by startLocalStack when it started a server (here, in the global setup, or in
  // `npm run test:all`); absent when DATABASE_URL and TEMPORAL_ADDRESS name servers.
  const dir = process.env[WATCHDOG_DIR_ENV];

  test.skipIf(!dir)('watches the servers the stack started, by their current identity', () => {
    const watched = watchedProcesses(dir!);
    expect(watched.length).toBeGreaterThan(0);
    for (const server of watched) {
      expect(['postgres', 'temporal']).toContain(server.label);
      expect(isSameProcess(server)).toBe(true);
      if (process.platform === 'linux') {
        expect(fs.readFileSync(`/proc/${server.pid}/cmdline`, 'utf8')).toContain(server.label);
      }
    }
  });
});

describe('stopping a server that was stopped out of band', () => {
  test('the embedded PostgreSQL stop() returns when its postmaster has already exited', async () => {
    vi.stubEnv('DATABASE_URL', ''); // an embedded server of its own, not the stack's
    const name = `stop-after-exit-${process.pid}`;
    const postgres = await startPostgres({ name }).finally(() => vi.unstubAllEnvs());
    const postmaster = processIdentity(postgres.pid!)!;
    expect(postmaster).toBeDefined();
    process.kill(postmaster.pid, 'SIGKILL'); // exactly the process started above: identity read just now
    for (let i = 0; i < 100 && isSameProcess(postmaster); i++) await sleep(50);
    expect(isSameProcess(postmaster)).toBe(false);

    const stopped = await Promise.race([postgres.stop().then(() => 'stopped'), sleep(5_000).then(() => 'still waiting after 5 s')]);
    expect(stopped).toBe('stopped');
    expect(postgres.dataDir).toBeDefined();
    expect(fs.existsSync(postgres.dataDir!)).toBe(false);
  });
});
