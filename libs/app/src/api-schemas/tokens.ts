// Tokens over the API: who a token speaks for, the list (never the secrets), and the
// one answer that carries a secret: the creation.
import { z } from 'zod';
import { ROLES } from '../tokens';

export const principalSchema = z.object({ name: z.string(), role: z.enum(ROLES) });
export const tokenViewSchema = principalSchema.extend({
  createdBy: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().optional(),
  revokedBy: z.string().optional(),
  lastUsedAt: z.string().optional(),
});
export const tokenListSchema = z.object({ tokens: z.array(tokenViewSchema) });
export const createdTokenSchema = principalSchema.extend({ token: z.string().describe('the secret: in this answer only, stored hashed') });
export const tokenParamsSchema = z.object({ name: z.string().min(1).max(64) });
export const createTokenBodySchema = z.strictObject({
  name: z.string().min(1).max(64).describe('who will use it: the operator recorded for what is done with it; never reused'),
  role: z.enum(ROLES).describe('operator: may act; auditor: may only read'),
});
