// One problem in a spec (or a plan request), with where it is.
export interface SpecError {
  /** Dotted path with indexes, e.g. `strategy.waves[2]`; empty for the whole document. */
  readonly path: string;
  readonly message: string;
  /** 1-based position in the source text, when known (YAML). */
  readonly line?: number;
  readonly column?: number;
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    const name = String(key);
    const plain = /^[A-Za-z_$][\w$-]*$/.test(name) ? name : JSON.stringify(name);
    return text === '' ? plain : `${text}.${plain}`;
  }, '');
}

/** One line per error: `strategy.waves[2]: 140% is more than 100% (line 12, column 18)`. */
export function formatSpecErrors(errors: readonly SpecError[]): string {
  return errors
    .map((error) => {
      const at = error.line === undefined ? '' : `line ${error.line}, column ${error.column ?? 1}`;
      if (error.path === '') return `${at || '(spec)'}: ${error.message}`;
      return `${error.path}: ${error.message}${at ? ` (${at})` : ''}`;
    })
    .join('\n');
}
