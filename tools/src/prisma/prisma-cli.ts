import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { workspaceRoot } from '../local-stack/paths';

export const prismaConfigPath = path.join(workspaceRoot, 'prisma/prisma.config.ts');
export const schemaPath = path.join(workspaceRoot, 'prisma/schema.prisma');
export const migrationsDir = path.join(workspaceRoot, 'prisma/migrations');

const require = createRequire(import.meta.url);

/**
 * Runs the Prisma CLI without native engines. Prisma's CLI downloads engines from its
 * own server unless these variables name existing files; with the driver adapter
 * (prisma.config.ts, engine "js") and the "client" engine type it never runs them.
 */
export async function runPrismaCli(
  args: readonly string[],
  options: { databaseUrl?: string; quiet?: boolean; cli?: string; config?: string | null } = {},
): Promise<string> {
  const cliEntry = require.resolve(options.cli ?? 'prisma/build/index.js');
  const anyExistingFile = cliEntry;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: anyExistingFile,
    PRISMA_QUERY_ENGINE_LIBRARY: anyExistingFile,
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    CHECKPOINT_DISABLE: '1',
  };
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  const config = options.config === undefined ? prismaConfigPath : options.config;
  const child = spawn(process.execPath, [cliEntry, ...args, ...(config === null ? [] : ['--config', config])], {
    cwd: workspaceRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    if (!options.quiet) process.stdout.write(chunk);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    if (!options.quiet) process.stderr.write(chunk);
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', resolve);
  });
  if (code !== 0) throw new Error(`prisma ${args.join(' ')} failed (exit ${code}):\n${output}`);
  return output;
}

/** Applies every migration in prisma/migrations that the database does not have yet. */
export async function migrateDeploy(databaseUrl: string): Promise<string> {
  return runPrismaCli(['migrate', 'deploy'], { databaseUrl, quiet: true });
}

/**
 * Writes the Prisma client (TypeScript) into libs/event-store/src/generated, with Prisma
 * 7's generator: its client costs 25–30% less of Node's CPU per call than 6.19's
 * (docs/benchmarks.md). Migrations stay on 6.19's CLI, whose WebAssembly schema engine
 * runs offline (7's is native only). Prisma 7 refuses a datasource `url` in the schema,
 * which 6.19's migrations read: the generator gets a copy without it, beside the schema
 * so that its relative output path holds.
 */
export async function generateClient(): Promise<void> {
  const schema = fs.readFileSync(schemaPath, 'utf8');
  const withoutUrl = schema.replace(/^\s*url\s*=\s*env\("DATABASE_URL"\)\s*$/m, '');
  if (withoutUrl === schema) throw new Error(`${schemaPath}: no \`url = env("DATABASE_URL")\` line to leave out for Prisma 7's generator`);
  const copy = path.join(path.dirname(schemaPath), '.schema-for-client.prisma');
  fs.writeFileSync(copy, withoutUrl);
  try {
    await runPrismaCli(['generate', '--no-hints', '--schema', copy], { quiet: true, cli: 'prisma-client-generator/build/index.js', config: null });
  } finally {
    fs.rmSync(copy, { force: true });
  }
}
