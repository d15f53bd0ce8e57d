import type { z } from 'zod';
import { InvalidEventError, UnknownEventTypeError } from '../errors';
import { streamCategory } from '../streams';
import { bankEventDefinitions } from './bank-events';
import { campaignEventDefinitions } from './campaign-events';
import type { EventDefinition, EventOf } from './define-event';

/** Every event type the store accepts, declared once. */
export const eventCatalog = { ...bankEventDefinitions, ...campaignEventDefinitions } as const;

type Catalog = typeof eventCatalog;
export type StoreEventType = keyof Catalog;
export type StoreEvent = { [T in StoreEventType]: EventOf<Catalog[T]> }[StoreEventType];
export type StoreEventOf<T extends StoreEventType> = Extract<StoreEvent, { type: T }>;
export type CampaignEvent = { [T in keyof typeof campaignEventDefinitions]: StoreEventOf<T> }[keyof typeof campaignEventDefinitions];

function definitionOf(type: string): EventDefinition {
  const definition = (eventCatalog as Record<string, EventDefinition>)[type];
  if (!definition || !Object.hasOwn(eventCatalog, type)) throw new UnknownEventTypeError(type);
  return definition;
}

export interface EncodedEvent {
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
}

/** Validates an event for `streamId` against its declaration; throws before anything is written. */
export function encodeEvent(streamId: string, event: { readonly type: string; readonly data: unknown }): EncodedEvent {
  const definition = definitionOf(event.type);
  if (streamCategory(streamId) !== definition.category) {
    throw new InvalidEventError(event.type, [`${event.type} belongs in a ${definition.category}-<id> stream, not in ${streamId}`]);
  }
  const parsed = definition.schema.safeParse(event.data);
  if (!parsed.success) throw new InvalidEventError(event.type, describeIssues(parsed.error));
  return { type: event.type, schemaVersion: definition.schemaVersion, data: parsed.data };
}

/** Turns a stored row's data into the current schema version (upcasting older versions) and checks it. */
export function decodeEvent(type: string, schemaVersion: number, data: unknown): StoreEvent {
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
  return { type, data: parsed.data } as StoreEvent;
}

export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(data)'}: ${issue.message}`);
}
