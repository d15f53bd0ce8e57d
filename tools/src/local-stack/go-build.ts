// Builds Go programs from their source with `go install pkg@version` into a folder of
// the per-user cache, once per machine. The first build downloads the modules and
// compiles for minutes; instead of a screen of `go: downloading` lines, it says what it
// builds, how long that takes, and every 30 s that it still does (Go's own output goes to
// a log file beside the binaries, shown when the build fails).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface GoBuild {
  /** What is built, for people: "the Temporal CLI v1.5.1". */
  readonly what: string;
  /** Package paths, all at `version` (one `go install`). */
  readonly packages: readonly string[];
  readonly version: string;
  /** GOBIN: where the binaries go. */
  readonly dir: string;
  /** Names of the binaries that must exist afterwards. */
  readonly binaries: readonly string[];
  /** The cold build's duration, said up front: "about 2.5 min". */
  readonly expected: string;
  /** Why it is built, said up front. */
  readonly why: string;
}

export function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

export function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, command);
    if (dir && isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** Builds when a binary is missing; returns the folder holding them. */
export async function goInstall(build: GoBuild, log: (line: string) => void, goMissing: () => Error): Promise<string> {
  if (build.binaries.every((name) => isExecutable(path.join(build.dir, name)))) return build.dir;
  const go = onPath('go');
  if (!go) throw goMissing();
  fs.mkdirSync(build.dir, { recursive: true });
  const logPath = path.join(build.dir, 'build.log');
  log(
    `Building ${build.what} from source with Go (${build.why}): once per machine, into ${build.dir}. ` +
      `The first build downloads Go modules and compiles them: ${build.expected}. Go's output goes to ${logPath}.`,
  );
  const started = Date.now();
  const out = fs.openSync(logPath, 'w');
  const ticker = setInterval(() => {
    const downloads = countDownloads(logPath);
    log(`  …still building ${build.what} (${Math.round((Date.now() - started) / 1000)} s so far${downloads ? `, ${downloads} modules downloaded` : ''})`);
  }, 30_000);
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(go, ['install', ...build.packages.map((p) => `${p}@${build.version}`)], {
        env: { ...process.env, GOBIN: build.dir, GOFLAGS: process.env.GOFLAGS ?? '-mod=mod' },
        stdio: ['ignore', out, out],
      });
      child.on('error', reject);
      child.on('exit', resolve);
    });
    if (code !== 0) {
      throw new Error(`go install ${build.packages.join(' ')}@${build.version} failed (exit ${code}); the end of its output (${logPath}):\n${tail(logPath, 30)}`);
    }
  } finally {
    clearInterval(ticker);
    fs.closeSync(out);
  }
  const missing = build.binaries.filter((name) => !isExecutable(path.join(build.dir, name)));
  if (missing.length > 0) throw new Error(`go install finished but ${missing.map((name) => path.join(build.dir, name)).join(', ')} is missing`);
  log(`Built ${build.what} in ${Math.round((Date.now() - started) / 1000)} s.`);
  return build.dir;
}

function countDownloads(logPath: string): number {
  try {
    return fs.readFileSync(logPath, 'utf8').split('\n').filter((line) => line.startsWith('go: downloading')).length;
  } catch {
    return 0;
  }
}

function tail(file: string, lines: number): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no output)';
  }
}
