import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { InvalidEventError, UnknownEventTypeError } from '../errors';
import { createCatalog } from './catalog';
import { defineEvent } from './define-event';

/** A catalog of its own: the store knows no domain, its owner declares the events. */
const catalog = createCatalog({
  ThingPainted: defineEvent('ThingPainted', 'thing', z.object({ colour: z.string().min(1) })),
  ThingMoved: defineEvent('ThingMoved', 'thing', z.object({ to: z.string(), by: z.number() }), {
    schemaVersion: 2,
    upcasters: { 1: (data) => ({ ...(data as { to: string }), by: 0 }) },
  }),
});

describe('event catalog', () => {
  test('encode stamps the current schema version; unknown types, wrong streams and bad data are refused', () => {
    expect(catalog.encode('thing-1', { type: 'ThingPainted', data: { colour: 'red' } })).toEqual({ type: 'ThingPainted', schemaVersion: 1, data: { colour: 'red' } });
    expect(() => catalog.encode('thing-1', { type: 'ThingExploded', data: {} })).toThrow(UnknownEventTypeError);
    expect(() => catalog.encode('thing-1', { type: 'toString', data: {} })).toThrow(UnknownEventTypeError);
    expect(() => catalog.encode('host-1', { type: 'ThingPainted', data: { colour: 'red' } })).toThrow(/belongs in a thing-<id> stream/);
    expect(() => catalog.encode('thing-1', { type: 'ThingPainted', data: { colour: '' } })).toThrow(InvalidEventError);
    expect(() => catalog.encode('thing-', { type: 'ThingPainted', data: { colour: 'red' } })).toThrow(InvalidEventError);
  });

  test('decode upcasts older schema versions and refuses newer ones', () => {
    expect(catalog.decode('ThingMoved', 1, { to: 'shed' })).toEqual({ type: 'ThingMoved', data: { to: 'shed', by: 0 } });
    expect(() => catalog.decode('ThingMoved', 3, {})).toThrow(/newer than this code knows/);
  });

  test('a definition whose key and type differ, or that lacks an upcaster, is refused when declared', () => {
    expect(() => createCatalog({ A: defineEvent('B', 'thing', z.object({})) })).toThrow(/key A declares type B/);
    expect(() => defineEvent('C', 'thing', z.object({}), { schemaVersion: 2 })).toThrow(/no upcaster from version 1/);
  });
});
