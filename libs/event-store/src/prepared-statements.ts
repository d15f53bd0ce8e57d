// Named (prepared) statements through Prisma's pg driver adapter, which sends every
// statement unnamed, so PostgreSQL parses and plans it on every call. A statement whose
// text starts with `/* prepare:<name> */` (after white space) is sent under that name instead: each pooled
// connection parses it once and then only binds and executes it. Measured on the
// known-head append (one INSERT with the digest call): 240 µs of PostgreSQL CPU per call
// unnamed against 155 µs named (docs/benchmarks.md). Only fixed statement texts may
// carry the marker: a name stands for one text on a connection.
//
// Behind PgBouncer in transaction mode, named statements need its
// max_prepared_statements (1.21 and later); docs/event-store.md says so.
import pg from 'pg';

const MARKER = /^\s*\/\* prepare:([a-z0-9_]+) \*\//;

/** The name a statement text asks to be prepared under, if any. */
export function preparedName(text: string): string | undefined {
  return MARKER.exec(text)?.[1];
}

/** A pg pool that sends marked statements as named ones (the adapter's Pool.query calls). */
export class PreparingPool extends pg.Pool {
  override query(...args: unknown[]): never {
    const [config] = args;
    if (typeof config === 'object' && config !== null && typeof (config as { text?: unknown }).text === 'string') {
      const name = preparedName((config as { text: string }).text);
      if (name !== undefined) args[0] = { ...(config as object), name };
    }
    return (super.query as (...a: unknown[]) => never)(...args);
  }
}
