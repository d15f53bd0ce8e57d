import { z } from 'zod';
import { atMost, atMostEntries, SPEC_LIMITS as L } from './limits';
import { slug, uniqueList } from './primitives';

// One entry per check type the host agent can run; add new types to the union.
const healthCheck = z.strictObject({
  type: z.literal('health'),
  name: slug('check name').describe('Health check the host agent knows, e.g. "vmkernel"'),
});

const check = z.discriminatedUnion('type', [healthCheck], {
  error: (issue) => (issue.code === 'invalid_union' ? 'unknown check type; known types: health' : undefined),
});

export const verificationSchema = z
  .strictObject({
    checks: z
      .array(check)
      .max(L.checks, atMostEntries(L.checks))
      .prefault([])
      .superRefine((checks, ctx) => {
        const seen = new Set<string>();
        checks.forEach((c, index) => {
          if (seen.has(c.name)) ctx.addIssue({ code: 'custom', message: `check "${c.name}" is listed twice`, path: [index, 'name'] });
          seen.add(c.name);
        });
      })
      .describe('Run by the host agent after the host came back on the new build'),
    requireRollbackImage: z
      .boolean()
      .default(true)
      .describe('Refuse to plan a host that would be left without a known-good rollback image unless waived'),
    waiveRollbackImage: uniqueList(z.string().trim().min(1).max(L.hostRef, atMost(L.hostRef)), (name) => name, L.hostRefs)
      .optional()
      .transform((names) => names ?? [])
      .describe('Host names or ids allowed to proceed without a known-good rollback image'),
  })
  .describe('What "the upgrade worked" means beyond booting the expected bank and build');
