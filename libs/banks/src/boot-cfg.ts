import { BootCfgError } from './boot-cfg-error';
import { utf8Length } from './utf8';

/**
 * ESXi `boot.cfg`, kept as its lines so that an untouched file formats back byte for
 * byte: the loader and the kernel loader read more than we understand, and an upgrade
 * engine that rewrites comments or line endings would be the first suspect in an outage.
 */
export type Eol = '\n' | '\r\n' | '';

export type BootCfgLine =
  | { readonly kind: 'blank' | 'comment'; readonly text: string; readonly eol: Eol }
  | {
      readonly kind: 'entry';
      readonly key: string;
      readonly value: string;
      /** Everything before the value: indentation, key, spaces and `=`. */
      readonly head: string;
      /** Trailing spaces after the value. */
      readonly tail: string;
      readonly eol: Eol;
    };

export type BootCfgEntry = Extract<BootCfgLine, { kind: 'entry' }>;

export interface BootCfg {
  readonly lines: readonly BootCfgLine[];
  /** What the loader reads (first occurrence, case-insensitive, as safeboot's scan_config). */
  readonly build: string | undefined;
  readonly updated: number | undefined;
  readonly bootstate: number | undefined;
  readonly quickboot: number | undefined;
  /** UTF-8 byte offset of the bootstate value: the loader rewrites it only below 512. */
  readonly bootstateOffset: number | undefined;
}

/** The loader rewrites bootstate in place and cannot write beyond this many bytes. */
export const BOOTSTATE_WINDOW_BYTES = 512;

/** Keys the loader parses as integers: a non-number there is a broken file, not a value. */
export const WHOLE_NUMBER_KEYS: readonly string[] = ['updated', 'bootstate', 'quickboot'];

export const KEY_PATTERN = /^[A-Za-z0-9_.-]+$/;
const ENTRY = /^(\uFEFF?[ \t]*)([A-Za-z0-9_.-]+)([ \t]*=[ \t]*)(.*?)([ \t]*)$/s;
const BLANK = /^\uFEFF?[ \t]*$/;
const COMMENT = /^\uFEFF?[ \t]*#/;
const WHOLE_NUMBER = /^\d+$/;

export function parseBootCfg(text: string): BootCfg {
  return bootCfgFromLines(splitLines(text).map(([content, eol], index) => parseLine(content, eol, index + 1)));
}

export function formatBootCfg(cfg: BootCfg): string {
  return cfg.lines.map(lineText).join('');
}

export function lineText(line: BootCfgLine): string {
  return line.kind === 'entry' ? line.head + line.value + line.tail + line.eol : line.text + line.eol;
}

/** Value of the first line with this key (case-insensitive, like the loader), if any. */
export function getBootCfgValue(cfg: BootCfg, key: string): string | undefined {
  return findEntry(cfg.lines, key)?.entry.value;
}

export function findEntry(
  lines: readonly BootCfgLine[],
  key: string,
): { readonly entry: BootCfgEntry; readonly index: number } | undefined {
  const wanted = key.toLowerCase();
  const index = lines.findIndex((line) => line.kind === 'entry' && line.key.toLowerCase() === wanted);
  const line = lines[index];
  return line?.kind === 'entry' ? { entry: line, index } : undefined;
}

/** Rebuilds the derived, typed view; the single place where lines become a BootCfg. */
export function bootCfgFromLines(lines: readonly BootCfgLine[]): BootCfg {
  const number = (key: string): number | undefined => {
    const value = findEntry(lines, key)?.entry.value;
    return value === undefined ? undefined : Number(value);
  };
  return {
    lines,
    build: findEntry(lines, 'build')?.entry.value,
    updated: number('updated'),
    bootstate: number('bootstate'),
    quickboot: number('quickboot'),
    bootstateOffset: valueOffset(lines, 'bootstate'),
  };
}

export function checkValue(key: string, value: string, line?: number): void {
  const where = line === undefined ? 'boot.cfg' : `boot.cfg line ${line}`;
  if (/[\r\n]/.test(value)) {
    throw new BootCfgError(`${where}: key "${key}" has a line break in its value`, line, key);
  }
  if (WHOLE_NUMBER_KEYS.includes(key.toLowerCase()) && !WHOLE_NUMBER.test(value)) {
    throw new BootCfgError(`${where}: key "${key}" has value "${value}", expected a whole number`, line, key);
  }
}

function parseLine(content: string, eol: Eol, line: number): BootCfgLine {
  if (BLANK.test(content)) return { kind: 'blank', text: content, eol };
  if (COMMENT.test(content)) return { kind: 'comment', text: content, eol };
  const match = ENTRY.exec(content);
  if (!match) {
    const shown = content.trim();
    const excerpt = shown.length > 60 ? `${shown.slice(0, 60)}…` : shown;
    throw new BootCfgError(`boot.cfg line ${line}: "${excerpt}" is not a key=value line`, line);
  }
  const [, indent = '', key = '', separator = '', value = '', tail = ''] = match;
  checkValue(key, value, line);
  return { kind: 'entry', key, value, head: indent + key + separator, tail, eol };
}

/** Splits after each `\n`, remembering whether the file used CRLF there or no newline at the end. */
function splitLines(text: string): Array<[string, Eol]> {
  const lines: Array<[string, Eol]> = [];
  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    if (newline === -1) {
      lines.push([text.slice(start), '']);
      break;
    }
    const crlf = newline > start && text[newline - 1] === '\r';
    lines.push([text.slice(start, crlf ? newline - 1 : newline), crlf ? '\r\n' : '\n']);
    start = newline + 1;
  }
  return lines;
}

function valueOffset(lines: readonly BootCfgLine[], key: string): number | undefined {
  const found = findEntry(lines, key);
  if (!found) return undefined;
  const before = lines.slice(0, found.index).reduce((bytes, line) => bytes + utf8Length(lineText(line)), 0);
  return before + utf8Length(found.entry.head);
}
