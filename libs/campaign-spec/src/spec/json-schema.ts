// The published JSON Schema of the spec file (the input side: durations as strings,
// defaults shown). Committed as campaign-spec.schema.json; a unit test keeps it fresh.
import { z } from 'zod';
import { campaignSpecSchema } from './schema/campaign';

export function campaignSpecJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(campaignSpecSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
}

/** Every field name the schema knows, for "did you mean" hints. */
export function knownFieldNames(): readonly string[] {
  const names = new Set<string>();
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    const properties = (node as { properties?: Record<string, unknown> }).properties;
    if (properties) Object.keys(properties).forEach((name) => names.add(name));
    Object.values(node).forEach(visit);
  };
  visit(campaignSpecJsonSchema());
  return [...names];
}
