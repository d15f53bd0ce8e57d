// One host-agent child process: spawn (node --import tsx, a single process, so a signal
// reaches the agent itself), wait for its ready line, stop it without leaving orphans.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { agentReadySchema, type AgentReady } from '@bankswitch/host-agent';
import { stopChild } from '../local-stack/stop-child';

export { stopChild };

export const workspaceRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const agentMain = path.join(workspaceRoot, 'apps/host-agent/src/main.ts');

export interface AgentChild {
  readonly child: ChildProcess;
  readonly ready: AgentReady;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Last resort when the parent exits without stop(): agents also exit when their stdin closes. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

function tail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '(no log)';
  }
}

export async function spawnAgent(configPath: string, logPath: string, readyTimeoutMs = 60_000): Promise<AgentChild> {
  installExitHook();
  const log = fs.openSync(logPath, 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', agentMain, '--config', configPath], {
    cwd: workspaceRoot,
    stdio: ['pipe', 'pipe', log],
  });
  fs.closeSync(log);
  live.add(child);
  child.once('exit', () => live.delete(child));

  const lines = createInterface({ input: child.stdout! });
  try {
    const ready = await new Promise<AgentReady>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`agent ${configPath} not ready within ${readyTimeoutMs} ms`)), readyTimeoutMs);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`agent ${configPath} exited (${signal ?? code}) before it was ready:\n${tail(logPath)}`));
      });
      lines.once('line', (line) => {
        clearTimeout(timer);
        const parsed = agentReadySchema.safeParse(JSON.parse(line));
        if (parsed.success) resolve(parsed.data);
        else reject(new Error(`agent ${configPath} printed an unexpected first line: ${line.slice(0, 200)}`));
      });
    });
    lines.on('line', () => undefined); // keep draining stdout
    return { child, ready };
  } catch (error) {
    await stopChild(child, 0);
    throw error;
  }
}
