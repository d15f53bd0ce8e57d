import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { goInstall, isExecutable, onPath } from './go-build';
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

  const missingGo = () =>
    new Error(
      'The Temporal CLI (which runs the Temporal dev server) was not found, and Go is not installed to build it.\n' +
        'Do one of these:\n' +
        `  - install Go (https://go.dev/doc/install, or your package manager: apt-get install golang) and run this again: it builds ${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION} into ${path.dirname(cached)};\n` +
        '  - put a `temporal` binary on PATH or set TEMPORAL_CLI=/path/to/temporal;\n' +
        '  - or set TEMPORAL_ADDRESS=host:port to use a Temporal server that is already running.',
    );
  await goInstall(
    {
      what: `the Temporal CLI ${TEMPORAL_CLI_VERSION}`,
      why: 'it runs the Temporal dev server; Temporal publishes no server on npm',
      packages: [TEMPORAL_CLI_MODULE],
      version: TEMPORAL_CLI_VERSION,
      dir: path.dirname(cached),
      binaries: [path.basename(cached)],
      expected: 'about 2.5 min on 2 cores, seconds once Go\'s caches are warm',
    },
    log,
    missingGo,
  );
  log(`  ${execFileSync(cached, ['--version']).toString().trim()}`);
  return cached;
}
