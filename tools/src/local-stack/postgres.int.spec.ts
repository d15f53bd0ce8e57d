// The embedded PostgreSQL as root, where PostgreSQL runs as the unprivileged user
// `postgres`: in a clone that user cannot reach (a folder only root may traverse, such as
// root's home), its binaries and data go to a root-owned folder under the system's
// temporary folder (postgres-process.ts). Forced here, so that the path is tested in any
// clone; a clone in a 0700 folder takes it by itself.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, expect, test, vi } from 'vitest';
import { startPostgres, type RunningPostgres } from './postgres';

const isRoot = process.getuid?.() === 0;
let running: RunningPostgres | undefined;

afterEach(async () => {
  await running?.stop();
  running = undefined;
});

test.skipIf(!isRoot)('as root, runs from a copy of the binaries the unprivileged user can reach, and stops clean', async () => {
  vi.stubEnv('DATABASE_URL', ''); // a server of its own, not the stack's
  running = await startPostgres({ name: `relocated-${process.pid}`, forceRelocation: true }).finally(() => vi.unstubAllEnvs());
  const base = path.join(os.tmpdir(), 'bankswitch-postgres');
  expect(running.dataDir?.startsWith(`${base}${path.sep}`)).toBe(true);

  // The postmaster runs the copied binary, as the user postgres, over the relocated data.
  const status = fs.readFileSync(`/proc/${running.pid}/status`, 'utf8');
  const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
  expect(uid).toBeGreaterThan(0);
  expect(fs.readlinkSync(`/proc/${running.pid}/exe`).startsWith(`${base}${path.sep}embedded-postgres-`)).toBe(true);
  expect(fs.statSync(running.dataDir!).uid).toBe(uid);
  expect((fs.statSync(base).mode & 0o777).toString(8)).toBe('755');

  const client = new pg.Client({ connectionString: running.databaseUrl });
  client.on('error', () => {});
  await client.connect();
  try {
    const row = await client.query<{ encoding: string }>('SELECT pg_encoding_to_char(encoding) AS encoding FROM pg_database WHERE datname = current_database()');
    expect(row.rows[0]?.encoding).toBe('UTF8');
  } finally {
    await client.end();
  }
  const dataDir = running.dataDir!;
  await running.stop();
  running = undefined;
  expect(fs.existsSync(dataDir)).toBe(false);
});
