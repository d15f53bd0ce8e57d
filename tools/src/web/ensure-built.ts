// The dashboard's build, for whoever serves it (the API, at `/`) and whoever needs it
// there (the tests, the demo): `ensureWebBuilt()` runs `vite build` once when
// apps/web/dist is missing. The API itself never builds: it says how to.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { workspaceRoot } from '../local-stack/paths';

// Here in tools, not in apps/web: the demo (tools) and the dashboard's tests both need it,
// and tools importing the web app would close a cycle (web's tests import tools).
export const webRoot = path.join(workspaceRoot, 'apps/web');
export const webDistDir = path.join(webRoot, 'dist');

/** Builds the dashboard into apps/web/dist when it has no index.html; returns the folder. */
export async function ensureWebBuilt(options: { log?: (line: string) => void } = {}): Promise<string> {
  if (fs.existsSync(path.join(webDistDir, 'index.html'))) return webDistDir;
  options.log?.('Building the web dashboard (apps/web/dist)…');
  const vite = path.join(path.dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin/vite.js');
  const output: string[] = [];
  const child = spawn(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: webRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0 || !fs.existsSync(path.join(webDistDir, 'index.html'))) {
    throw new Error(`building the web dashboard failed (vite build exited with ${code}); run \`npx nx run @bankswitch/web:build\` to see why:\n${output.join('').slice(-4000)}`);
  }
  return webDistDir;
}
