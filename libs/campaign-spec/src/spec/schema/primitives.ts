// Building blocks shared by the spec sections. Checks beyond the JSON type live in
// transforms so that one entry gets one precise message (e.g. "140% is more than 100%").
import { z } from 'zod';
import { DURATION_PATTERN, parseDuration } from '../duration';
import { PERCENT_PATTERN, type Quantity } from '../quantity';
import { atMost, atMostEntries, SPEC_LIMITS } from './limits';

export const SLUG_PATTERN = '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$';

export const slug = (what: string) =>
  z.string().regex(new RegExp(SLUG_PATTERN), {
    error: `${what} must be lower-case letters, digits and dashes (at most 63), e.g. "esxi-803-rollout"`,
  });

const describe = (value: unknown) => (typeof value === 'string' ? `"${value}"` : String(value));

/** A count (≥ min) or a percentage string ("25%", at most 100%). */
export function quantity(min: 0 | 1) {
  const countOrPercent = `a host count like 5 or a percentage like "25%"`;
  return z
    .union([z.number(), z.string().max(SPEC_LIMITS.token, atMost(SPEC_LIMITS.token)).meta({ pattern: PERCENT_PATTERN })], { error: `expected ${countOrPercent}` })
    .transform((value, ctx): Quantity => {
      const fail = (message: string) => {
        ctx.issues.push({ code: 'custom', message, input: value });
        return z.NEVER;
      };
      if (typeof value === 'number') {
        if (!Number.isInteger(value)) return fail(`${value} is not a whole number of hosts`);
        if (value < min) return fail(`${value} is less than ${min}`);
        return { kind: 'count', count: value };
      }
      if (!new RegExp(PERCENT_PATTERN).test(value)) return fail(`${describe(value)} is not ${countOrPercent}`);
      const percent = Number(value.slice(0, -1));
      if (percent > 100) return fail(`${value} is more than 100%`);
      if (percent < min) return fail(`${value} selects no hosts; use at least 1 host`);
      return { kind: 'percent', percent };
    });
}

/** A duration string ("30s", "5m", "1h30m") → milliseconds, more than zero. */
export function duration() {
  return z
    .string({ error: 'expected a duration like "30s", "5m" or "1h30m"' })
    .max(SPEC_LIMITS.token, atMost(SPEC_LIMITS.token))
    .meta({ pattern: DURATION_PATTERN })
    .transform((text, ctx) => {
      const ms = parseDuration(text);
      if (ms === undefined || ms === 0) {
        const why = ms === 0 ? 'must be longer than zero' : 'is not a duration; write e.g. "30s", "5m" or "1h30m"';
        ctx.issues.push({ code: 'custom', message: `"${text}" ${why}`, input: text });
        return z.NEVER;
      }
      return ms;
    });
}

/** A non-empty list, of at most `max` entries, whose entries (compared by `key`) appear once. */
export function uniqueList<T extends z.ZodType>(item: T, key: (entry: z.output<T>) => string, max: number) {
  return z
    .array(item)
    .min(1, { error: 'must list at least one entry (or leave the field out)' })
    .max(max, atMostEntries(max))
    .superRefine((entries, ctx) => {
      const seen = new Set<string>();
      entries.forEach((entry, index) => {
        const id = key(entry);
        if (seen.has(id)) ctx.addIssue({ code: 'custom', message: `"${id}" is listed twice`, path: [index] });
        seen.add(id);
      });
    });
}

export const positiveInt = () =>
  z.int({ error: 'expected a whole number' }).min(1, { error: 'must be at least 1' });
