// The full Temporal server, the shape a production cluster has: its four services
// (frontend, history, matching, worker) in one process, several history shards, and
// PostgreSQL for persistence and visibility, set up with Temporal's own SQL tool. Built
// from Temporal's source with `go install`, pinned and cached like the CLI. Used by the
// production-shaped local stack (`npm run stack -- --production`, `npm run demo -- --production`).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import pg from 'pg';
import { goInstall } from './go-build';
import { dataRoot, userCacheDir } from './paths';
import { freeLoopbackPort, freeLoopbackPortIn } from './ports';
import { stopChild } from './stop-child';
import type { RunningTemporal } from './temporal-server';

/**
 * The one place the server's version is pinned: the server inside the Temporal CLI
 * v1.5.1 (`temporal version` says Server 1.29.1), so the dev server and this one run the
 * same code; the go.mod of that tag has no `replace` directive, so `go install` builds it.
 */
export const TEMPORAL_SERVER_MODULE = 'go.temporal.io/server';
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
/** The server's history shards (fixed for the life of a cluster's database). */
export const HISTORY_SHARDS = 4;

/** The config template (development.yaml, rendered by the server) and the dynamic config. */
export const temporalServerConfigDir = fileURLToPath(new URL('./temporal-server-config', import.meta.url));

export interface TemporalServerBinaries {
  /** `go.temporal.io/server/cmd/server`. */
  readonly server: string;
  /** `go.temporal.io/server/cmd/tools/sql`, Temporal's SQL schema tool (temporal-sql-tool). */
  readonly sql: string;
}

export function cachedTemporalServerDir(): string {
  return path.join(userCacheDir(), `temporal-server-${TEMPORAL_SERVER_VERSION}`);
}

/** The server and its SQL tool from the per-user cache, built from source when missing. */
export async function ensureTemporalServer(log: (line: string) => void = console.log): Promise<TemporalServerBinaries> {
  const dir = cachedTemporalServerDir();
  await goInstall(
    {
      what: `the Temporal server ${TEMPORAL_SERVER_VERSION} and its SQL tool`,
      why: 'the production-shaped stack runs the full server on PostgreSQL; Temporal publishes no server on npm',
      packages: [`${TEMPORAL_SERVER_MODULE}/cmd/server`, `${TEMPORAL_SERVER_MODULE}/cmd/tools/sql`],
      version: TEMPORAL_SERVER_VERSION,
      dir,
      binaries: ['server', 'sql'],
      expected: 'about 3–7 min on 2 cores, less after the Temporal CLI\'s build (they share most modules)',
    },
    log,
    () =>
      new Error(
        `The full Temporal server is built from source with Go, which is not installed: install Go (apt-get install golang, or https://go.dev/doc/install) and run this again; ` +
          `it builds ${TEMPORAL_SERVER_MODULE}/cmd/server@${TEMPORAL_SERVER_VERSION} into ${dir}. Or set TEMPORAL_ADDRESS to use a running Temporal server.`,
      ),
  );
  return { server: path.join(dir, 'server'), sql: path.join(dir, 'sql') };
}

interface Database {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
}

function databaseOf(url: string): Database {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port || 5432), user: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password) };
}

/** Temporal's two databases and their schemas, with Temporal's SQL tool (as the Helm chart's schema job does it). */
export async function setUpTemporalSchemas(sqlTool: string, postgresUrl: string): Promise<void> {
  const db = databaseOf(postgresUrl);
  const existing = await existingDatabases(postgresUrl);
  const env = { ...process.env, SQL_PLUGIN: 'postgres12', SQL_HOST: db.host, SQL_PORT: String(db.port), SQL_USER: db.user, SQL_PASSWORD: db.password };
  const run = (database: string, args: readonly string[]) => {
    const result = spawnSync(sqlTool, ['--db', database, ...args], { env, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`temporal-sql-tool --db ${database} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}):\n${(result.stdout + result.stderr).trim().slice(-2000)}`);
  };
  for (const [database, schema] of [
    ['temporal', 'postgresql/v12/temporal'],
    ['temporal_visibility', 'postgresql/v12/visibility'],
  ] as const) {
    if (!existing.has(database)) run(database, ['create-database']);
    // setup-schema -v 0.0 makes the versioning tables (idempotent); update-schema applies every versioned step not yet applied.
    run(database, ['setup-schema', '-v', '0.0']);
    run(database, ['update-schema', '--schema-name', schema]);
  }
}

async function existingDatabases(postgresUrl: string): Promise<Set<string>> {
  const admin = new URL(postgresUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  client.on('error', () => {});
  await client.connect();
  try {
    const rows = await client.query<{ datname: string }>('SELECT datname FROM pg_database');
    return new Set(rows.rows.map((r) => r.datname));
  } finally {
    await client.end();
  }
}

export interface TemporalServerOptions {
  readonly name: string;
  /** The PostgreSQL server for Temporal's own databases (`temporal`, `temporal_visibility`); any database in the URL. */
  readonly postgresUrl: string;
  readonly log?: (line: string) => void;
  /**
   * Ports [from, to) that something else of this run will listen on but may not yet (a
   * simulated fleet starting beside it): the membership ports are picked outside them.
   */
  readonly reservedPorts?: PortRange;
}

export interface PortRange {
  readonly from: number;
  readonly to: number;
}

/** Membership ports are stored in a smallint column of cluster_membership: below 32768, outside the OS's ephemeral range. */
const MEMBERSHIP_PORTS: PortRange = { from: 20_000, to: 32_768 };

/**
 * The full Temporal server on free loopback ports, its schemas set up and the namespace
 * `default` registered: TEMPORAL_ADDRESS when that is set (nothing is started).
 */
export async function startTemporalServer(options: TemporalServerOptions): Promise<RunningTemporal> {
  const external = process.env.TEMPORAL_ADDRESS;
  if (external) return { address: external, started: false, stop: async () => {} };
  const log = options.log ?? (() => {});
  const binaries = await ensureTemporalServer(log);
  await setUpTemporalSchemas(binaries.sql, options.postgresUrl);

  const db = databaseOf(options.postgresUrl);
  const picked = new Set<number>();
  const reserved = options.reservedPorts;
  const range = membershipRange(reserved);
  const membershipPort = async (): Promise<number> => {
    for (;;) {
      const port = await freeLoopbackPortIn(range.from, range.to);
      if (picked.has(port)) continue;
      picked.add(port);
      return port;
    }
  };
  const ports = {
    FRONTEND_PORT: await freeLoopbackPort(),
    FRONTEND_MEMBERSHIP_PORT: await membershipPort(),
    FRONTEND_HTTP_PORT: await freeLoopbackPort(),
    HISTORY_PORT: await freeLoopbackPort(),
    HISTORY_MEMBERSHIP_PORT: await membershipPort(),
    MATCHING_PORT: await freeLoopbackPort(),
    MATCHING_MEMBERSHIP_PORT: await membershipPort(),
    WORKER_PORT: await freeLoopbackPort(),
    WORKER_MEMBERSHIP_PORT: await membershipPort(),
    METRICS_PORT: await freeLoopbackPort(),
  };
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...Object.fromEntries(Object.entries(ports).map(([key, port]) => [`BANKSWITCH_TEMPORAL_${key}`, String(port)])),
    BANKSWITCH_TEMPORAL_DB_HOST: db.host,
    BANKSWITCH_TEMPORAL_DB_PORT: String(db.port),
    BANKSWITCH_TEMPORAL_DB_USER: db.user,
    BANKSWITCH_TEMPORAL_DB_PASSWORD: db.password,
    BANKSWITCH_TEMPORAL_DYNAMIC_CONFIG: path.join(temporalServerConfigDir, 'dynamic-config.yaml'),
  };
  fs.mkdirSync(dataRoot, { recursive: true });
  const logPath = path.join(dataRoot, `temporal-server-${options.name}.log`);
  const out = fs.openSync(logPath, 'w');
  const child: ChildProcess = spawn(binaries.server, ['--root', temporalServerConfigDir, '--config', '.', '--env', 'development', '--allow-no-auth', 'start'], {
    env,
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));

  const address = `127.0.0.1:${ports.FRONTEND_PORT}`;
  try {
    await registerDefaultNamespace(address, child, 90_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`The Temporal server (${binaries.server}) did not start on ${address}: ${String(error)}\nThe end of its log (${logPath}):\n${tail(logPath)}`);
  }
  return {
    address,
    started: true,
    pid: child.pid,
    kind: `Temporal server ${TEMPORAL_SERVER_VERSION.slice(1)}, PostgreSQL persistence and visibility, ${HISTORY_SHARDS} history shards`,
    more: [`HTTP API http://127.0.0.1:${ports.FRONTEND_HTTP_PORT}, metrics http://127.0.0.1:${ports.METRICS_PORT}/metrics, log ${logPath}`],
    // SIGTERM: the server leaves its membership ring and drains; SIGKILL after 10 s.
    stop: () => stopChild(child, 10_000),
  };
}

/**
 * Waits for the frontend, then registers the namespace `default` (the dev server makes
 * it itself; a full server has none) and waits until the frontend serves it.
 */
async function registerDefaultNamespace(address: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `it exited with ${signal ?? code}`));
  let registered = false;
  for (;;) {
    if (exited) throw new Error(exited);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        if (!registered) {
          await connection.workflowService
            .registerNamespace({ namespace: 'default', workflowExecutionRetentionPeriod: msToTs('3 days') })
            .catch((error: unknown) => {
              if (!/already exists/i.test(String(error))) throw error;
            });
          registered = true;
        }
        await connection.workflowService.describeNamespace({ namespace: 'default' });
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

function tail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-30).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Where the membership ports are picked: the larger part of MEMBERSHIP_PORTS that
 * `reserved` leaves free (a fleet from port 12,000 with 10,000 hosts reaches 21,999).
 */
export function membershipRange(reserved: PortRange | undefined): PortRange {
  const { from, to } = MEMBERSHIP_PORTS;
  if (!reserved || reserved.to <= from || reserved.from >= to) return MEMBERSHIP_PORTS;
  const below = { from, to: Math.max(from, reserved.from) };
  const above = { from: Math.min(to, reserved.to), to };
  const wider = below.to - below.from >= above.to - above.from ? below : above;
  if (wider.to - wider.from < 100) {
    throw new Error(
      `the Temporal server's membership ports must lie in ${from}–${to - 1}, and ports ${reserved.from}–${reserved.to - 1} are taken by the fleet: ` +
        'choose a fleet port base that leaves at least 100 ports of that range free',
    );
  }
  return wider;
}
