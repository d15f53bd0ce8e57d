import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { migrateDeploy } from '../prisma/prisma-cli';
import { startPostgres, type RunningPostgres } from './postgres';
import { startTemporal, type RunningTemporal } from './temporal-server';

export { freeLoopbackPort, waitForPort } from './ports';
export { workspaceRoot, dataRoot, userCacheDir } from './paths';
export { ensureTemporalCli, TEMPORAL_CLI_VERSION } from './temporal-cli';
export { migrateDeploy } from '../prisma/prisma-cli';

export interface LocalStack {
  readonly databaseUrl: string;
  readonly temporalAddress: string;
  readonly temporalUiUrl?: string;
  readonly postgres: RunningPostgres;
  readonly temporal: RunningTemporal;
  /** Human-readable lines saying where each service listens. */
  describe(): string[];
  stop(): Promise<void>;
}

export interface LocalStackOptions {
  /** Names the data folders under .data/, so that parallel stacks do not collide. */
  readonly name: string;
  readonly ui?: boolean;
  readonly persistent?: boolean;
  readonly log?: (line: string) => void;
}

/**
 * Brings up the two real services the engine needs, PostgreSQL (with every migration
 * applied) and a Temporal server, or uses the ones DATABASE_URL and TEMPORAL_ADDRESS
 * name. Whatever it starts, `stop()` stops; it also stops them when the process exits
 * or is interrupted, so no server outlives its owner.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const log = options.log ?? (() => {});
  const started: { stop(): Promise<void> }[] = [];
  const stopAll = async () => {
    for (const service of started.splice(0).reverse()) await service.stop().catch(() => {});
  };
  const detach = stopOnExit(stopAll);
  try {
    const [postgres, temporal] = await Promise.all([
      startPostgres({ name: options.name, persistent: options.persistent }).then((pg) => {
        started.push(pg);
        return pg;
      }),
      startTemporal({ name: options.name, ui: options.ui, persistent: options.persistent, log }).then((t) => {
        started.push(t);
        return t;
      }),
    ]);
    await migrateDeploy(postgres.databaseUrl);
    const reaper = startReaper([temporal.pid, postgres.pid]);
    started.push({ stop: async () => void reaper?.kill() });
    return {
      databaseUrl: postgres.databaseUrl,
      temporalAddress: temporal.address,
      temporalUiUrl: temporal.uiUrl,
      postgres,
      temporal,
      describe: () => [
        `PostgreSQL  ${redactPassword(postgres.databaseUrl)}${postgres.started ? ' (embedded, started here)' : ' (DATABASE_URL)'}`,
        `Temporal    ${temporal.address}${temporal.started ? ' (dev server, started here)' : ' (TEMPORAL_ADDRESS)'}`,
        ...(temporal.uiUrl ? [`Temporal UI ${temporal.uiUrl}`] : []),
      ],
      async stop() {
        detach();
        await stopAll();
      },
    };
  } catch (error) {
    detach();
    await stopAll();
    throw error;
  }
}

/** A detached watchdog that kills the servers if this process dies without stopping them. */
function startReaper(pids: readonly (number | undefined)[]): ChildProcess | undefined {
  const targets = pids.filter((pid): pid is number => pid !== undefined);
  if (targets.length === 0) return undefined;
  const script = fileURLToPath(new URL('./reaper.mjs', import.meta.url));
  const child = spawn(process.execPath, [script, String(process.pid), ...targets.map(String)], { detached: true, stdio: 'ignore' });
  child.unref();
  return child;
}

function redactPassword(url: string): string {
  return url.replace(/:\/\/([^:/@]+):[^@]*@/, '://$1:***@');
}

/**
 * Stops the services on Ctrl-C, SIGTERM and normal exit. Signal handlers exit the
 * process after stopping (re-raising would skip the async stop).
 */
function stopOnExit(stop: () => Promise<void>): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    void stop().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return () => {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  };
}
