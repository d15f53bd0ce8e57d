import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { dataRoot } from './paths';
import { freeLoopbackPort } from './ports';
import { stopChild } from './stop-child';
import { ensureTemporalCli } from './temporal-cli';

export interface RunningTemporal {
  readonly address: string;
  /** Web UI address, when the UI is served (not in headless test runs). */
  readonly uiUrl?: string;
  readonly started: boolean;
  /** What runs, when started here (default: the dev server). */
  readonly kind?: string;
  /** More lines for `describe()`: its other endpoints. */
  readonly more?: readonly string[];
  /** The dev server's process id, for orphan checks (a restart changes it). */
  readonly pid?: number;
  stop(): Promise<void>;
  /**
   * Stops the server and starts it again on the same port over the same SQLite file (a
   * persistent server started here only): what a restart of Temporal looks like to the
   * workers. Returns the new process id.
   */
  restart?(): Promise<number | undefined>;
}

export interface TemporalOptions {
  readonly name: string;
  /** Serve the Web UI (for people); tests run headless. */
  readonly ui?: boolean;
  /** Keep workflow state in a SQLite file under .data/ instead of memory. */
  readonly persistent?: boolean;
  readonly log?: (line: string) => void;
}

/**
 * Dynamic config the local dev server runs with, each with its reason.
 * - transferProcessorMaxPollRPS: the dev server has one history shard whose transfer
 *   poller reads at most 20 times a second by default, which shows up as ~45 ms of
 *   idle waiting at every task handoff; lifting it makes 2 cores the limit instead.
 * - enableActivityEagerExecution: an activity a workflow task schedules on its own task
 *   queue goes back to that worker in the task's completion, not through matching and a
 *   poll (the SDK asks for it when the worker has a free slot); the production stack's
 *   server has it too (temporal-server-config/dynamic-config.yaml).
 * The server's own validator checks the keys (tools/src/deploy/deploy.e2e.spec.ts).
 */
export const DEV_SERVER_DYNAMIC_CONFIG: Readonly<Record<string, number | boolean>> = {
  'history.transferProcessorMaxPollRPS': 1000,
  'system.enableActivityEagerExecution': true,
};

/**
 * The Temporal server for this run: TEMPORAL_ADDRESS when set (nothing is started),
 * otherwise `temporal server start-dev` on free loopback ports.
 */
export async function startTemporal(options: TemporalOptions): Promise<RunningTemporal> {
  const external = process.env.TEMPORAL_ADDRESS;
  if (external) return { address: external, started: false, stop: async () => {} };

  const cli = await ensureTemporalCli(options.log);
  const port = await freeLoopbackPort();
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'warn'];
  args.push('--http-port', String(await freeLoopbackPort()), '--metrics-port', String(await freeLoopbackPort()));
  // The CLI reads each value as JSON.
  for (const [key, value] of Object.entries(DEV_SERVER_DYNAMIC_CONFIG)) args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  let uiUrl: string | undefined;
  if (options.ui) {
    const uiPort = await freeLoopbackPort();
    args.push('--ui-port', String(uiPort));
    uiUrl = `http://127.0.0.1:${uiPort}`;
  } else {
    args.push('--headless');
  }
  if (options.persistent) {
    await fs.mkdir(dataRoot, { recursive: true });
    args.push('--db-filename', path.join(dataRoot, `temporal-${options.name}.sqlite`));
  }

  const address = `127.0.0.1:${port}`;
  const output: string[] = [];
  const spawnServer = async (): Promise<ChildProcess> => {
    const child = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const remember = (chunk: Buffer) => {
      output.push(chunk.toString());
      if (output.length > 200) output.shift();
    };
    child.stdout?.on('data', remember);
    child.stderr?.on('data', remember);
    // Last resort for an owner that exits without calling stop() (an uncaught error):
    // 'exit' handlers must be synchronous, and kill() is.
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', () => process.removeListener('exit', killOnExit));
    try {
      await waitUntilServing(address, child, 60_000);
    } catch (error) {
      child.kill('SIGKILL');
      throw new Error(`The Temporal dev server (${cli}) did not start on ${address}: ${String(error)}\nIts output:\n${output.join('').slice(-3000)}`);
    }
    return child;
  };
  let child = await spawnServer();
  return {
    address,
    uiUrl,
    started: true,
    get pid() {
      return child.pid;
    },
    stop: () => stopChild(child),
    ...(options.persistent
      ? {
          async restart() {
            await stopChild(child);
            child = await spawnServer();
            return child.pid;
          },
        }
      : {}),
  };
}

async function waitUntilServing(address: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `exited with ${signal ?? code}`));
  for (;;) {
    if (exited) throw new Error(exited);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        // The frontend answers before the default namespace is registered; wait for both.
        await connection.workflowService.describeNamespace({ namespace: 'default' });
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
