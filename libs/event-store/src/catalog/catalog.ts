import type { z } from 'zod';
import { InvalidEventError, UnknownEventTypeError } from '../errors';
import { streamCategory } from '../streams';
import type { EventDefinition, EventOf } from './define-event';

/** An event as appended: a type the catalog declares and its data. */
export interface AnyEvent {
  readonly type: string;
  readonly data: unknown;
}

export interface EncodedEvent {
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
}

/**
 * The event types a store accepts, each declared once (stream category, schema version,
 * schema, upcasters). The store is generic: its owner passes the catalog in, and the
 * domains declare their own events.
 */
export interface EventCatalog<E extends AnyEvent = AnyEvent> {
  readonly definitions: Readonly<Record<string, EventDefinition>>;
  /** Validates an event for `streamId` against its declaration; throws before anything is written. */
  encode(streamId: string, event: AnyEvent): EncodedEvent;
  /** Turns a stored row's data into the current schema version (upcasting older versions) and checks it. */
  decode(type: string, schemaVersion: number, data: unknown): E;
}

/** `{ type, data }` for every definition of a catalog's definitions record. */
export type CatalogEvents<D extends Record<string, EventDefinition>> = { [T in keyof D]: EventOf<D[T]> }[keyof D];
export type EventOfCatalog<C> = C extends EventCatalog<infer E> ? E : never;

export function createCatalog<const D extends Record<string, EventDefinition>>(definitions: D): EventCatalog<CatalogEvents<D>> {
  for (const [key, definition] of Object.entries(definitions)) {
    if (definition.type !== key) throw new Error(`event catalog: key ${key} declares type ${definition.type}`);
  }
  const definitionOf = (type: string): EventDefinition => {
    if (!Object.hasOwn(definitions, type)) throw new UnknownEventTypeError(type);
    return definitions[type] as EventDefinition;
  };
  return {
    definitions,
    encode(streamId, event) {
      const definition = definitionOf(event.type);
      if (streamCategory(streamId) !== definition.category) {
        throw new InvalidEventError(event.type, [`${event.type} belongs in a ${definition.category}-<id> stream, not in ${streamId}`]);
      }
      const parsed = definition.schema.safeParse(event.data);
      if (!parsed.success) throw new InvalidEventError(event.type, describeIssues(parsed.error));
      return { type: event.type, schemaVersion: definition.schemaVersion, data: parsed.data };
    },
    decode(type, schemaVersion, data) {
      const definition = definitionOf(type);
      if (schemaVersion > definition.schemaVersion) {
        throw new InvalidEventError(type, [`stored schema version ${schemaVersion} is newer than this code knows (${definition.schemaVersion})`]);
      }
      let current = data;
      for (let v = schemaVersion; v < definition.schemaVersion; v++) {
        const upcast = definition.upcasters[v];
        if (!upcast) throw new InvalidEventError(type, [`no upcaster from schema version ${v}`]);
        current = upcast(current);
      }
      const parsed = definition.schema.safeParse(current);
      if (!parsed.success) throw new InvalidEventError(type, [`stored data (schema version ${schemaVersion}) is invalid`, ...describeIssues(parsed.error)]);
      return { type, data: parsed.data } as CatalogEvents<D>;
    },
  };
}

export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(data)'}: ${issue.message}`);
}
