// `npm run migration:new -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql
// from the change between the schema the last migration produced and prisma/schema.prisma.
// Prisma's `migrate dev` needs a shadow database, which the pg adapter cannot manage
// (see docs/database.md), so the SQL comes from `migrate diff` between two schema files.
// Through the driver adapter even that command opens a connection, so an embedded
// PostgreSQL is started for it unless DATABASE_URL names a server.
import fs from 'node:fs/promises';
import path from 'node:path';
import { startPostgres } from '../local-stack/postgres';
import { generateClient, migrationsDir, runPrismaCli, schemaPath } from './prisma-cli';

/** The schema as of the newest migration; updated with every new migration. */
const migratedSchemaPath = path.join(path.dirname(schemaPath), 'migrated-schema.prisma');

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('Usage: npm run migration:new -- <name>   (lower-case letters, digits and underscores)');
  process.exit(2);
}

const hasPrevious = await fs.access(migratedSchemaPath).then(
  () => true,
  () => false,
);
const from = hasPrevious ? ['--from-schema-datamodel', migratedSchemaPath] : ['--from-empty'];
const postgres = await startPostgres({ name: 'migration-diff' });
let sql: string;
try {
  sql = await runPrismaCli(['migrate', 'diff', ...from, '--to-schema-datamodel', schemaPath, '--script'], {
    databaseUrl: postgres.databaseUrl,
    quiet: true,
  });
} finally {
  await postgres.stop();
}
sql = sql.replace(/^Loaded Prisma config.*\n/m, '');
if (!/\b(CREATE|ALTER|DROP)\b/.test(sql)) {
  console.log('prisma/schema.prisma has no change since the last migration: nothing written.');
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const dir = path.join(migrationsDir, `${stamp}_${name}`);
await fs.mkdir(dir, { recursive: true });
await fs.writeFile(path.join(dir, 'migration.sql'), sql);
await fs.copyFile(schemaPath, migratedSchemaPath);
await fs.writeFile(path.join(migrationsDir, 'migration_lock.toml'), 'provider = "postgresql"\n');
await generateClient();
console.log(`Wrote ${path.relative(process.cwd(), dir)}/migration.sql; review it, then commit it with the schema.`);
