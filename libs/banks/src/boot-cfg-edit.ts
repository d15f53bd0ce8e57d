import { BootCfgError } from './boot-cfg-error';
import type { BootCfg, BootCfgLine, Eol } from './boot-cfg';
import { KEY_PATTERN, bootCfgFromLines, checkValue, findEntry } from './boot-cfg';

/**
 * Returns a new cfg with `key` set. An existing line keeps its place, spacing and line
 * ending (only the value changes, as the loader does when it rewrites bootstate); a new
 * key is appended, except bootstate, which goes first so that it stays inside the
 * 512 bytes the loader can rewrite.
 */
export function setBootCfgValue(cfg: BootCfg, key: string, value: string): BootCfg {
  if (!KEY_PATTERN.test(key)) throw new BootCfgError(`boot.cfg: "${key}" is not a valid key`, undefined, key);
  checkValue(key, value);
  const found = findEntry(cfg.lines, key);
  if (found) {
    const lines = cfg.lines.map((line, index) => (index === found.index ? { ...found.entry, value } : line));
    return bootCfgFromLines(lines);
  }
  const eol = dominantEol(cfg.lines);
  const added = (lineEol: Eol): BootCfgLine => ({ kind: 'entry', key, value, head: `${key}=`, tail: '', eol: lineEol });
  if (key.toLowerCase() === 'bootstate') return bootCfgFromLines([added(eol), ...cfg.lines]);
  const last = cfg.lines.at(-1);
  if (last === undefined) return bootCfgFromLines([added(eol)]);
  if (last.eol !== '') return bootCfgFromLines([...cfg.lines, added(eol)]);
  // The file ended without a newline: end the old last line, and keep "no final newline".
  return bootCfgFromLines([...cfg.lines.slice(0, -1), { ...last, eol }, added('')]);
}

function dominantEol(lines: readonly BootCfgLine[]): Exclude<Eol, ''> {
  const crlf = lines.filter((line) => line.eol === '\r\n').length;
  const lf = lines.filter((line) => line.eol === '\n').length;
  return crlf > lf ? '\r\n' : '\n';
}
