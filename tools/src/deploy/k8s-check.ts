// Builds tools/k8s-check (a Go program: Kubernetes manifests decoded strictly with
// Kubernetes' own types) once per version of its source, into the per-user cache.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isExecutable, onPath } from '../local-stack/go-build';
import { userCacheDir, workspaceRoot } from '../local-stack/paths';

const source = path.join(workspaceRoot, 'tools/k8s-check');

export async function ensureK8sCheck(log: (line: string) => void = console.log): Promise<string> {
  const hash = createHash('sha256');
  for (const file of ['go.mod', 'go.sum', 'main.go']) hash.update(fs.readFileSync(path.join(source, file)));
  const binary = path.join(userCacheDir(), `k8s-check-${hash.digest('hex').slice(0, 12)}`, 'k8s-check');
  if (isExecutable(binary)) return binary;
  const go = onPath('go');
  if (!go) throw new Error('tools/k8s-check is a Go program and Go is not installed: apt-get install golang (or https://go.dev/doc/install).');
  fs.mkdirSync(path.dirname(binary), { recursive: true });
  log(`Building tools/k8s-check (Kubernetes' Go types, once per machine: about 1.5 min cold) into ${path.dirname(binary)}…`);
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(go, ['build', '-o', binary, '.'], { cwd: source, env: { ...process.env, GOFLAGS: process.env.GOFLAGS ?? '-mod=mod' }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.on('error', reject);
    child.on('exit', resolve);
  });
  if (code !== 0) throw new Error(`go build of tools/k8s-check failed (exit ${code}):\n${output.join('').slice(-3000)}`);
  return binary;
}
