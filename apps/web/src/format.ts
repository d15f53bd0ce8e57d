// Words and times as the pages show them.
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Local time, `2026-11-30 14:05:02` (with `.123` when `ms`). */
export function formatTime(iso: string, options: { ms?: boolean } = {}): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const time = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return options.ms ? `${time}.${pad(d.getMilliseconds(), 3)}` : time;
}

/** A status as words: `fell-back` → `fell back`. */
export const words = (status: string): string => status.replace(/-/g, ' ');

/** Statuses a campaign host may end in that are not a success. */
export const isProblem = (host: { status: string; cause?: string }): boolean =>
  host.status !== 'pending' && host.status !== 'running' && host.cause !== 'succeeded' && host.cause !== 'already-on-target';

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** An instant typed by a person (ISO 8601, or a local `2026-11-30 14:05:02.123`), as ISO 8601; undefined when it is not one. */
export function parseInstant(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (trimmed === 'now') return new Date().toISOString();
  // Date.parse reads "YYYY-MM-DD HH:mm" as local time in browsers; make the T explicit for the rest.
  const d = new Date(/^\d{4}-\d{2}-\d{2} \d/.test(trimmed) ? trimmed.replace(' ', 'T') : trimmed);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
