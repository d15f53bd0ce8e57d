import { spawn } from 'node:child_process';
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
  options: { databaseUrl?: string; quiet?: boolean } = {},
): Promise<string> {
  const cliEntry = require.resolve('prisma/build/index.js');
  const anyExistingFile = cliEntry;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: anyExistingFile,
    PRISMA_QUERY_ENGINE_LIBRARY: anyExistingFile,
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    CHECKPOINT_DISABLE: '1',
  };
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  const child = spawn(process.execPath, [cliEntry, ...args, '--config', prismaConfigPath], {
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

/** Writes the Prisma client (TypeScript) into libs/event-store/src/generated. */
export async function generateClient(): Promise<void> {
  await runPrismaCli(['generate', '--no-hints'], { quiet: true });
}
