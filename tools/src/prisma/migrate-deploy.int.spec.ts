import fs from 'node:fs/promises';
import pg from 'pg';
import { afterAll, expect, test } from 'vitest';
import { cloneDatabase, dropDatabase } from '../local-stack/test-database';
import { migrateDeploy, migrationsDir } from './prisma-cli';

const emptyDatabaseUrl = await createEmptyDatabase();

afterAll(() => dropDatabase(emptyDatabaseUrl));

/** An empty database on the test server (copied from template0, PostgreSQL's pristine template). */
async function createEmptyDatabase(): Promise<string> {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = '/template0';
  return cloneDatabase(url.toString(), `migrate_deploy_${process.pid}`);
}

test('the real `prisma migrate deploy` applies every migration to an empty database', async () => {
  const output = await migrateDeploy(emptyDatabaseUrl);
  expect(output).toMatch(/successfully applied/i);

  const migrations = (await fs.readdir(migrationsDir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  const client = new pg.Client({ connectionString: emptyDatabaseUrl });
  client.on('error', () => {});
  await client.connect();
  try {
    const applied = await client.query<{ migration_name: string }>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name',
    );
    expect(applied.rows.map((r) => r.migration_name)).toEqual(migrations.sort());
    const hosts = await client.query("SELECT to_regclass('public.hosts') AS t");
    expect(hosts.rows[0].t).toBe('hosts');
  } finally {
    await client.end();
  }

  // Running it again is a no-op, as deploys to an up-to-date database must be.
  expect(await migrateDeploy(emptyDatabaseUrl)).toMatch(/No pending migrations/i);
});
