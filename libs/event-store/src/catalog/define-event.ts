import type { z } from 'zod';

/**
 * One event type, declared once: the stream category it belongs to, the current schema
 * version and its zod schema, and one upcaster per older version (`upcasters[v]` turns
 * data written as version v into version v + 1). Stored history is never rewritten:
 * old rows are upcast when they are read.
 */
export interface EventDefinition<T extends string = string, S extends z.ZodType = z.ZodType> {
  readonly type: T;
  /** The stream category (the part of the stream id before its first dash) it belongs to. */
  readonly category: string;
  readonly schemaVersion: number;
  readonly schema: S;
  readonly upcasters: Readonly<Record<number, (data: unknown) => unknown>>;
}

export function defineEvent<T extends string, S extends z.ZodType>(
  type: T,
  category: string,
  schema: S,
  options: { schemaVersion?: number; upcasters?: Record<number, (data: unknown) => unknown> } = {},
): EventDefinition<T, S> {
  const schemaVersion = options.schemaVersion ?? 1;
  const upcasters = options.upcasters ?? {};
  for (let v = 1; v < schemaVersion; v++) {
    if (!upcasters[v]) throw new Error(`${type} is at schema version ${schemaVersion} but has no upcaster from version ${v}`);
  }
  return { type, category, schemaVersion, schema, upcasters };
}

/** `{ type, data }` for a definition, data as its schema outputs it. */
export type EventOf<D> = D extends EventDefinition<infer T, infer S> ? { readonly type: T; readonly data: z.output<S> } : never;
