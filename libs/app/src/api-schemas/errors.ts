// The one shape of every refusal: what kind, one message saying what to do, and for
// invalid input the first problems with their paths.
import { z } from 'zod';

export const problemSchema = z.object({ path: z.string(), message: z.string(), line: z.number().int().optional(), column: z.number().int().optional() });

/** Loose: a refusal may carry more than these fields, and none of it may be dropped on the way out. */
export const errorAnswerSchema = z.looseObject({
  error: z.string().describe('invalid-input, unauthorized, forbidden, not-found, conflict, payload-too-large, unsupported-media-type, unavailable, internal'),
  message: z.string(),
  details: z.array(problemSchema).optional().describe('invalid-input: the first 20 problems, each with its path, then one saying how many more'),
  errorId: z.string().optional().describe('internal: the id the detail is logged under in the API log'),
});
