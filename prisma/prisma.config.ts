// Prisma CLI configuration. Prisma's CLI normally downloads native engines from
// Prisma's own server; this project runs every command on the WebAssembly schema
// engine through the pg driver adapter instead (engine: "js"), so that migrations
// work on machines that reach only the npm registry.
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg-migrate';
import { withCatalogTypesAsText } from './adapter-workaround';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join(import.meta.dirname, 'schema.prisma'),
  migrations: { path: path.join(import.meta.dirname, 'migrations') },
  async adapter() {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error('DATABASE_URL is not set: this Prisma command needs a database (tools/src/prisma starts one).');
    return withCatalogTypesAsText(new PrismaPg(poolConfigFromUrl(url)));
  },
});

/**
 * Discrete connection fields rather than `connectionString`: the adapter builds its
 * shadow database pool as `{ ...config, database }`, and a connection string would
 * override that database name.
 */
function poolConfigFromUrl(url: string) {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: parsed.pathname.replace(/^\//, '') || 'postgres',
  };
}
