// Emmett (@event-driven-io/emmett-postgresql), the established Node.js event store on
// PostgreSQL that `npm run bench:events` measures next to ours. It has its own install in
// tools/bench-peers/emmett (its package.json pins the versions, its package-lock.json the
// rest): Emmett's peer commander ^12.1 conflicts with the root's commander 14, so it
// cannot go into the root install. The benchmark installs it there with `npm ci` on first
// use and loads it from there at run time: the root install, tsc and eslint never need it
// (the few calls made are typed below). Its own `pg` copy also keeps the global type
// parsers Emmett sets (bigint for int8, its JSON parser) away from the root's `pg`.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { workspaceRoot } from '../local-stack/paths';

export const emmettDir = path.join(workspaceRoot, 'tools/bench-peers/emmett');
const emmettPackage = '@event-driven-io/emmett-postgresql';

/** An event as Emmett appends it. */
export interface EmmettEvent {
  readonly type: string;
  readonly data: object;
  readonly metadata?: object;
}

/** The part of Emmett's `PostgresEventStore` the benchmark uses (Emmett's types stay in its folder). */
export interface EmmettEventStore {
  appendToStream(streamName: string, events: EmmettEvent[], options?: { expectedStreamVersion?: bigint }): Promise<{ nextExpectedStreamVersion: bigint }>;
  close(): Promise<void>;
}

export interface EmmettPostgreSQL {
  getPostgreSQLEventStore(connectionString: string): EmmettEventStore;
  /**
   * Ends every pool Emmett opened. Its store's close() only drops one reference to a
   * pool its schema set-up also took (dumbo counts them), so a connection stays open and
   * its pool, which has no error listener, crashes the process when the server goes.
   */
  endAllPools(): Promise<unknown>;
}

/**
 * The packages of tools/bench-peers/emmett/package.json that are not installed at the
 * exact version it pins (all of them when nothing is installed).
 */
export function packagesToInstall(wanted: Readonly<Record<string, string>>, installedVersion: (name: string) => string | undefined): string[] {
  return Object.entries(wanted)
    .filter(([name, version]) => installedVersion(name) !== version)
    .map(([name, version]) => `${name}@${version}`);
}

/** Installs Emmett in its folder when it is not there yet (`npm ci`: the committed lockfile), then loads it. */
export async function loadEmmett(log: (line: string) => void = console.error): Promise<EmmettPostgreSQL> {
  const manifest = JSON.parse(fs.readFileSync(path.join(emmettDir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const missing = packagesToInstall(manifest.dependencies, (name) => {
    try {
      return (JSON.parse(fs.readFileSync(path.join(emmettDir, 'node_modules', name, 'package.json'), 'utf8')) as { version?: string }).version;
    } catch {
      return undefined;
    }
  });
  if (missing.length > 0) {
    log(
      `Installing ${missing.join(', ')} into tools/bench-peers/emmett (npm ci, once): Emmett is measured next to the store, ` +
        "in its own folder because its peer commander ^12.1 conflicts with the root's commander 14.",
    );
    await npmCi();
  }
  const load = createRequire(path.join(emmettDir, 'package.json'));
  const emmett = load(emmettPackage) as Partial<EmmettPostgreSQL>;
  if (typeof emmett.getPostgreSQLEventStore !== 'function') throw new Error(`${emmettPackage} in ${emmettDir} has no getPostgreSQLEventStore`);
  const dumbo = load('@event-driven-io/dumbo') as { endAllPools?: () => Promise<unknown> };
  if (typeof dumbo.endAllPools !== 'function') throw new Error(`@event-driven-io/dumbo in ${emmettDir} has no endAllPools`);
  return { getPostgreSQLEventStore: emmett.getPostgreSQLEventStore.bind(emmett), endAllPools: dumbo.endAllPools };
}

async function npmCi(): Promise<void> {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(npm, ['ci', '--no-audit', '--no-fund'], { cwd: emmettDir, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.on('error', reject);
    child.on('exit', resolve);
  });
  if (code !== 0) throw new Error(`npm ci in ${emmettDir} failed (exit ${code}):\n${output.join('').slice(-3000)}`);
}

/** The same server's URL with another database (credentials and parameters kept). */
export function withDatabase(databaseUrl: string, database: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/** The database name in a PostgreSQL URL. */
export function databaseOf(databaseUrl: string): string {
  return decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, ''));
}
