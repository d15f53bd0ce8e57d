import type { BootCfg } from './boot-cfg';
import { BOOTSTATE_WINDOW_BYTES, WHOLE_NUMBER_KEYS, findEntry } from './boot-cfg';

export type BootCfgProblemCode =
  | 'missing-key'
  | 'duplicate-key'
  | 'empty-build'
  | 'updated-not-positive'
  | 'unknown-bootstate'
  | 'bootstate-beyond-512-bytes';

export interface BootCfgProblem {
  readonly code: BootCfgProblemCode;
  readonly key: string;
  readonly line?: number;
  readonly message: string;
}

/**
 * What would make the loader reject this bank, as a list rather than a throw: parsing
 * only refuses files it cannot represent, while a well-formed file can still be
 * unbootable (an empty bank, a half-written upgrade) and callers decide what matters.
 */
export function validateBootCfg(
  cfg: BootCfg,
  options: { readonly required?: readonly string[] } = {},
): BootCfgProblem[] {
  const problems: BootCfgProblem[] = [];
  const lineOf = (key: string): number | undefined => {
    const found = findEntry(cfg.lines, key);
    return found ? found.index + 1 : undefined;
  };
  const report = (code: BootCfgProblemCode, key: string, detail: string): void => {
    const line = lineOf(key);
    const where = line === undefined ? 'boot.cfg' : `boot.cfg line ${line}`;
    problems.push({ code, key, ...(line === undefined ? {} : { line }), message: `${where}: ${detail}` });
  };

  for (const key of options.required ?? ['build', 'updated', 'bootstate']) {
    if (lineOf(key) === undefined) report('missing-key', key, `key "${key}" is missing`);
  }
  for (const key of ['build', ...WHOLE_NUMBER_KEYS]) {
    const count = cfg.lines.filter((line) => line.kind === 'entry' && line.key.toLowerCase() === key).length;
    if (count > 1) report('duplicate-key', key, `key "${key}" appears ${count} times; the loader reads the first`);
  }
  if (cfg.build !== undefined && cfg.build.trim() === '') report('empty-build', 'build', 'key "build" is empty');
  if (cfg.updated !== undefined && cfg.updated <= 0) {
    report('updated-not-positive', 'updated', `key "updated" is ${cfg.updated}, the loader needs at least 1`);
  }
  if (cfg.bootstate !== undefined && cfg.bootstate > 3) {
    report('unknown-bootstate', 'bootstate', `key "bootstate" is ${cfg.bootstate}, expected 0 to 3`);
  }
  if (cfg.bootstateOffset !== undefined && cfg.bootstateOffset >= BOOTSTATE_WINDOW_BYTES) {
    report(
      'bootstate-beyond-512-bytes',
      'bootstate',
      `key "bootstate" starts at byte ${cfg.bootstateOffset}, beyond the first ${BOOTSTATE_WINDOW_BYTES} bytes the loader can rewrite`,
    );
  }
  return problems;
}
