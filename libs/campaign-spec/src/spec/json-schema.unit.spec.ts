// Keeps campaign-spec.schema.json equal to what the zod schema generates.
// Regenerate: `npm run schema:update -w @bankswitch/campaign-spec` (UPDATE_SCHEMA=1).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { campaignSpecJsonSchema } from '../index';

const file = fileURLToPath(new URL('../../campaign-spec.schema.json', import.meta.url));
const generated = `${JSON.stringify(campaignSpecJsonSchema(), null, 2)}\n`;

describe('published JSON Schema', () => {
  it('is committed and up to date', () => {
    if (process.env['UPDATE_SCHEMA'] === '1') writeFileSync(file, generated);
    expect(readFileSync(file, 'utf8'), 'run: npm run schema:update -w @bankswitch/campaign-spec').toBe(generated);
  });

  it('describes the input side: duration strings, strict objects, defaults', () => {
    const schema = campaignSpecJsonSchema() as { required: string[]; additionalProperties: boolean };
    expect(schema.required).toEqual(['name', 'target', 'hosts']);
    expect(schema.additionalProperties).toBe(false);
    expect(generated).toContain('"default": "30m"');
  });
});
