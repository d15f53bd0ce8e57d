import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { userCacheDir } from './paths';

/**
 * The one place the Temporal CLI version is pinned. v1.5.1 is the newest tag whose
 * go.mod has no `replace` directive, so `go install pkg@version` can build it.
 */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';
export const TEMPORAL_CLI_VERSION = 'v1.5.1';

export function cachedTemporalCliPath(): string {
  return path.join(userCacheDir(), `temporal-cli-${TEMPORAL_CLI_VERSION}`, 'temporal');
}

function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, command);
    if (dir && isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * Finds the Temporal CLI (which contains the dev server): TEMPORAL_CLI, then PATH, then
 * the per-user cache; builds it from Temporal's source with `go install` when missing
 * and Go is present. The Temporal server is not published on npm, so this is how a
 * fresh machine gets one without downloading a vendor binary.
 */
export async function ensureTemporalCli(log: (line: string) => void = console.log): Promise<string> {
  const fromEnv = process.env.TEMPORAL_CLI;
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`TEMPORAL_CLI=${fromEnv} is not an executable file. Point it at a Temporal CLI binary or unset it.`);
    return fromEnv;
  }
  const found = onPath('temporal');
  if (found) return found;
  const cached = cachedTemporalCliPath();
  if (isExecutable(cached)) return cached;

  const go = onPath('go');
  if (!go) {
    throw new Error(
      'The Temporal CLI (which runs the Temporal dev server) was not found, and Go is not installed to build it.\n' +
        'Do one of these:\n' +
        `  - install Go (https://go.dev/doc/install, or your package manager: apt-get install golang) and run this again: it builds ${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION} into ${path.dirname(cached)};\n` +
        '  - put a `temporal` binary on PATH or set TEMPORAL_CLI=/path/to/temporal;\n' +
        '  - or set TEMPORAL_ADDRESS=host:port to use a Temporal server that is already running.',
    );
  }
  const gobin = path.dirname(cached);
  fs.mkdirSync(gobin, { recursive: true });
  log(`Building the Temporal CLI ${TEMPORAL_CLI_VERSION} from source with Go into ${gobin} (once per machine; a few minutes cold)…`);
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(go, ['install', `${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}`], {
      env: { ...process.env, GOBIN: gobin, GOFLAGS: process.env.GOFLAGS ?? '-mod=mod' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`go install ${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION} failed with exit code ${code}`)),
    );
  });
  if (!isExecutable(cached)) throw new Error(`go install finished but ${cached} is missing`);
  log(`Built ${execFileSync(cached, ['--version']).toString().trim()} in ${Math.round((Date.now() - started) / 1000)} s.`);
  return cached;
}
