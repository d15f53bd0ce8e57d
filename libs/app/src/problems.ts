// Bounds on what a refusal echoes back. An invalid input of 3,000 hosts would otherwise
// come back as 3,000 problems (and a 10 MB value as a 10 MB message): the first few
// problems are enough to start fixing, and an answer stays small whoever sent what.
export const MAX_LISTED_PROBLEMS = 20;
/** The longest value (a path, a name someone wrote) echoed back in a problem. */
export const MAX_ECHOED_CHARS = 200;
/** A refusal's whole message: a safety net over the lists it may name. */
export const MAX_MESSAGE_CHARS = 8_000;

export interface Problem {
  readonly path: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

const count = (n: number) => n.toLocaleString('en-US');

/** The text itself when short enough, else its start and how long it was. */
export function clip(text: string, max = MAX_ECHOED_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${count(text.length)} characters in all)`;
}

/** "and 2,980 more problems", for a list cut after `shown` of `total` entries. */
export function moreProblems(total: number, shown = MAX_LISTED_PROBLEMS): string {
  const rest = total - shown;
  return `and ${count(rest)} more problem${rest === 1 ? '' : 's'}, not listed: fix these first, then try again`;
}

/**
 * The first MAX_LISTED_PROBLEMS problems, each clipped, then one entry saying how many
 * more there were. A list already cut by this (its last entry says "and N more") is
 * returned as it is.
 */
export function capProblems(problems: readonly Problem[], max = MAX_LISTED_PROBLEMS): Problem[] {
  const clipped = (p: Problem): Problem => ({ ...p, path: clip(p.path), message: clip(p.message, MAX_ECHOED_CHARS * 3) });
  const alreadyCut = problems.length === max + 1 && /^and [\d,]+ more problems?, not listed/.test(problems[max]?.message ?? '');
  if (problems.length <= max || alreadyCut) return problems.map(clipped);
  return [...problems.slice(0, max).map(clipped), { path: '', message: moreProblems(problems.length, max) }];
}

/** One line per problem (as `format` writes it) for the first few, then "and N more". */
export function listProblems<T>(problems: readonly T[], format: (shown: readonly T[]) => string, max = MAX_LISTED_PROBLEMS): string {
  const shown = format(problems.slice(0, max));
  return problems.length <= max ? shown : `${shown}\n${moreProblems(problems.length, max)}`;
}
