// Worker processes for the chaos suite: real `apps/worker` processes (or the chaos
// worker, which kills itself once at a named point), killed and started again at will.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { stopChild } from '../local-stack/stop-child';
import { workspaceRoot } from '../local-stack/index';

const workerMain = fileURLToPath(new URL('../../../apps/worker/src/main.ts', import.meta.url));
const chaosWorker = fileURLToPath(new URL('./chaos-worker.ts', import.meta.url));

export interface WorkerPool {
  /** Starts a worker; with `crashAfter` ("<activity>@<host>") it dies once, right after that activity's work. */
  start(options?: { crashAfter?: string }): Promise<ChildProcess>;
  /** SIGKILL every worker (a power loss of the worker machine). */
  killAll(): Promise<void>;
  /** SIGKILL the worker with this pid, for good (not restarted); false when no worker of the pool has it. */
  kill(pid: number): Promise<boolean>;
  /** The pids of the workers running now. */
  pids(): number[];
  stopAll(): Promise<void>;
  /** Resolves when a worker that was told to crash has died. */
  crashed(): Promise<void>;
}

export function workerPool(options: { env: Record<string, string>; logPath: string; markerPath: string }): WorkerPool {
  const children = new Set<ChildProcess>();
  let onCrash: (() => void) | undefined;
  const crash = new Promise<void>((resolve) => (onCrash = resolve));
  const log = fs.openSync(options.logPath, 'a');

  const start = async (startOptions: { crashAfter?: string } = {}): Promise<ChildProcess> => {
    const entry = startOptions.crashAfter ? chaosWorker : workerMain;
    const env = { ...process.env, ...options.env, ...(startOptions.crashAfter ? { CHAOS_CRASH_AFTER: startOptions.crashAfter, CHAOS_CRASH_MARKER: options.markerPath } : {}) };
    const child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: workspaceRoot, env, stdio: ['ignore', 'pipe', log] });
    children.add(child);
    child.once('exit', (_code, signal) => {
      children.delete(child);
      if (startOptions.crashAfter && signal === 'SIGKILL' && fs.existsSync(options.markerPath)) {
        onCrash?.();
        // The machine comes back: a plain worker takes over.
        void start().catch((error: unknown) => fs.writeSync(log, `restarting a worker failed: ${String(error)}\n`));
      }
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`a worker did not start within 90 s; see ${options.logPath}`)), 90_000);
      if (!child.stdout) return reject(new Error('a worker started without a stdout pipe'));
      createInterface({ input: child.stdout }).on('line', (line) => {
        fs.writeSync(log, `${line}\n`);
        if (/bankswitch worker: task queue/.test(line)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code, signal) => reject(new Error(`a worker exited (${signal ?? code}) before it was ready; see ${options.logPath}`)));
    });
    return child;
  };
  return {
    start,
    async killAll() {
      await Promise.all([...children].map((child) => stopChild(child, 0)));
    },
    async kill(pid) {
      const child = [...children].find((c) => c.pid === pid);
      if (!child) return false;
      await stopChild(child, 0);
      return true;
    },
    pids: () => [...children].flatMap((child) => (child.pid === undefined ? [] : [child.pid])),
    async stopAll() {
      await Promise.all([...children].map((child) => stopChild(child, 15_000)));
      fs.closeSync(log);
    },
    crashed: () => crash,
  };
}
