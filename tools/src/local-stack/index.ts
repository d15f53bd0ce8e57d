import { migrateDeploy } from '../prisma/prisma-cli';
import { startPostgres, type RunningPostgres } from './postgres';
import { startTemporalServer, type PortRange } from './temporal-full-server';
import { startTemporal, type RunningTemporal } from './temporal-server';
import { startWatchdog, WATCHDOG_DIR_ENV, type Watchdog, type WatchedProcess } from './watchdog';

export { freeLoopbackPort, waitForPort } from './ports';
export { workspaceRoot, dataRoot, userCacheDir } from './paths';
export { ensureTemporalCli, TEMPORAL_CLI_VERSION } from './temporal-cli';
export { ensureTemporalServer, TEMPORAL_SERVER_VERSION } from './temporal-full-server';
export { migrateDeploy } from '../prisma/prisma-cli';
export {
  watchProcess,
  unwatchProcess,
  watchedProcesses,
  processIdentity,
  isSameProcess,
  WATCHDOG_DIR_ENV,
  type WatchedProcess,
  type ProcessIdentity,
} from './watchdog';

export interface LocalStack {
  readonly databaseUrl: string;
  readonly temporalAddress: string;
  readonly temporalUiUrl?: string;
  readonly postgres: RunningPostgres;
  readonly temporal: RunningTemporal;
  /** Human-readable lines saying where each service listens. */
  describe(): string[];
  /**
   * Has the stack's watchdog kill this process too if the owner dies without stopping
   * the stack, e.g. a server a test restarted under a new pid (call it right after the
   * start). Other processes can do the same with `watchProcess(pid)`: the stack names
   * its watchdog in BANKSWITCH_WATCHDOG_DIR.
   */
  watchProcess(pid: number, label?: string): WatchedProcess | undefined;
  /** Stops watching a process, e.g. a server stopped on purpose. */
  unwatchProcess(target: number | WatchedProcess): void;
  /**
   * Has `stop()` (also on Ctrl-C and SIGTERM) stop this too, before the servers: e.g.
   * worker and API processes started on the stack (the production-shaped stack's).
   */
  attach(service: { stop(): Promise<void> }): void;
  /**
   * Outages on purpose, for the chaos suite (a persistent stack that started both
   * servers): PostgreSQL stopped with its data kept and started again on its port, and
   * Temporal restarted on its port over its SQLite file.
   */
  readonly outages?: { stopPostgres(): Promise<void>; startPostgres(): Promise<void>; restartTemporal(): Promise<void> };
  stop(): Promise<void>;
}

export interface LocalStackOptions {
  /** Names the data folders under .data/, so that parallel stacks do not collide. */
  readonly name: string;
  readonly ui?: boolean;
  readonly persistent?: boolean;
  readonly log?: (line: string) => void;
  /**
   * Which Temporal: the dev server of the Temporal CLI (default), or the full server on
   * PostgreSQL, as production runs it (temporal-full-server.ts; no Web UI).
   */
  readonly temporal?: 'dev' | 'server';
  /** Ports a fleet of this run will listen on: the full server's own ports are picked outside them. */
  readonly reservedPorts?: PortRange;
}

/**
 * Brings up the two real services the engine needs, PostgreSQL (with every migration
 * applied) and a Temporal server, or uses the ones DATABASE_URL and TEMPORAL_ADDRESS
 * name. Whatever it starts, `stop()` stops; it also stops them when the process exits
 * or is interrupted, and a detached watchdog (reaper.mjs) kills them if this process
 * dies without stopping them, so no server outlives its owner.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const log = options.log ?? (() => {});
  const watchdog = lazyWatchdog(options.name, log);
  // Stopped in reverse: the watchdog, first in, goes last, after the servers it guards.
  const started: { stop(): Promise<void> }[] = [{ stop: async () => watchdog.stop() }];
  const stopAll = async () => {
    for (const service of started.splice(0).reverse()) await service.stop().catch(() => {});
  };
  // Each server is registered with the watchdog as soon as it runs (its start time is
  // read then), and unregistered once it has been stopped.
  const watchedAs = new Map<string, WatchedProcess | undefined>();
  /** (Re)registers a server's current process with the watchdog, after a start or a restart. */
  const rewatch = (label: string, pid: number | undefined) => {
    const before = watchedAs.get(label);
    if (before) watchdog.unwatch(before);
    watchedAs.set(label, pid === undefined ? undefined : watchdog.watch(pid, label));
  };
  const track = <T extends { pid?: number; stop(): Promise<void> }>(service: T, label: string): T => {
    rewatch(label, service.pid);
    started.push({
      stop: async () => {
        await service.stop();
        rewatch(label, undefined);
      },
    });
    return service;
  };
  const detach = stopOnExit(stopAll);
  try {
    const startingPostgres = startPostgres({ name: options.name, persistent: options.persistent, log }).then((pg) => track(pg, 'postgres'));
    // The full server keeps its state in PostgreSQL (databases of its own beside the engine's).
    const startingTemporal =
      options.temporal === 'server'
        ? startingPostgres.then((pg) => startTemporalServer({ name: options.name, postgresUrl: pg.databaseUrl, log, reservedPorts: options.reservedPorts })).then((t) => track(t, 'temporal'))
        : startTemporal({ name: options.name, ui: options.ui, persistent: options.persistent, log }).then((t) => track(t, 'temporal'));
    // Every start settles before a failure is thrown, so that stopAll() finds all that started.
    const [postgres, temporal] = await allSettled([startingPostgres, startingTemporal, startingPostgres.then((pg) => migrateDeploy(pg.databaseUrl))] as const);
    return {
      databaseUrl: postgres.databaseUrl,
      temporalAddress: temporal.address,
      temporalUiUrl: temporal.uiUrl,
      postgres,
      temporal,
      describe: () => [
        `PostgreSQL  ${redactPassword(postgres.databaseUrl)}${postgres.started ? ' (embedded, started here)' : ' (DATABASE_URL)'}`,
        `Temporal    ${temporal.address}${temporal.started ? ` (${temporal.kind ?? 'dev server'}, started here)` : ' (TEMPORAL_ADDRESS)'}`,
        ...(temporal.more ?? []).map((line) => `            ${line}`),
        ...(temporal.uiUrl ? [`Temporal UI ${temporal.uiUrl}`] : []),
      ],
      watchProcess: (pid, label) => watchdog.watch(pid, label),
      unwatchProcess: (target) => watchdog.unwatch(target),
      attach: (service) => void started.push(service),
      ...(postgres.outage && temporal.restart
        ? {
            outages: {
              stopPostgres: async () => {
                await postgres.outage?.stop();
                rewatch('postgres', undefined);
              },
              startPostgres: async () => rewatch('postgres', await postgres.outage?.start()),
              restartTemporal: async () => rewatch('temporal', await temporal.restart?.()),
            },
          }
        : {}),
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

/**
 * The stack's watchdog, started with the first process to watch (a stack on DATABASE_URL
 * and TEMPORAL_ADDRESS starts nothing, so it needs none). While it runs, its folder is in
 * BANKSWITCH_WATCHDOG_DIR for processes started from here, unless that already names
 * one (an outer stack's). A process it cannot register still runs and is still stopped
 * by `stop()`; only the last resort is missing, which is said in the log.
 */
function lazyWatchdog(name: string, log: (line: string) => void): Pick<Watchdog, 'watch' | 'unwatch' | 'stop'> {
  let watchdog: Watchdog | undefined;
  let ownsEnv = false;
  let stopped = false;
  return {
    watch(pid, label) {
      if (stopped) return undefined;
      try {
        if (!watchdog) {
          watchdog = startWatchdog({ name });
          if (watchdog && !process.env[WATCHDOG_DIR_ENV]) {
            process.env[WATCHDOG_DIR_ENV] = watchdog.dir;
            ownsEnv = true;
          }
        }
        return watchdog?.watch(pid, label);
      } catch (error) {
        log(`The watchdog does not watch ${label ?? `pid ${pid}`}: ${String(error)}`);
        return undefined;
      }
    },
    unwatch: (target) => watchdog?.unwatch(target),
    stop() {
      stopped = true;
      if (ownsEnv && process.env[WATCHDOG_DIR_ENV] === watchdog?.dir) delete process.env[WATCHDOG_DIR_ENV];
      watchdog?.stop();
      watchdog = undefined;
    },
  };
}

/** Promise.all that waits for every promise to settle before it rejects with the first failure. */
async function allSettled<T extends readonly unknown[]>(promises: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
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
