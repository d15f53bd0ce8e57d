// Who the token speaks for, and the tokens themselves: listed without their secrets,
// created (the secret in that answer only) and revoked by operators.
import { createTokenBodySchema, createdTokenSchema, principalSchema, tokenListSchema, tokenParamsSchema, tokenViewSchema, type BankswitchApp } from '@bankswitch/app';
import type { ZodServer } from '../zod';
import { by } from './actor';
import { ACT_ERRORS, BODY_ERRORS, READ_ERRORS } from './answers';

export function tokenRoutes(server: ZodServer, app: BankswitchApp): void {
  server.get(
    '/me',
    { schema: { tags: ['tokens'], summary: 'Who the token speaks for: its name (the operator recorded) and role', response: { 200: principalSchema, ...READ_ERRORS } } },
    async (request) => ({ name: by(request), role: request.principal!.role }),
  );
  server.get(
    '/tokens',
    { schema: { tags: ['tokens'], summary: 'Every API token: name, role, who created it, when it was last used, and whether it was revoked (never the secret)', response: { 200: tokenListSchema, ...READ_ERRORS } } },
    async () => ({ tokens: await app.listTokens() }),
  );
  server.post(
    '/tokens',
    {
      config: { act: true },
      schema: {
        tags: ['tokens'],
        summary: 'Create a token; the secret is in this answer only (it is stored hashed)',
        body: createTokenBodySchema,
        response: { 201: createdTokenSchema, ...ACT_ERRORS, ...BODY_ERRORS },
      },
    },
    async (request, reply) => reply.code(201).send(await app.createToken({ ...request.body, by: by(request) })),
  );
  server.post(
    '/tokens/:name/revoke',
    {
      config: { act: true },
      schema: { tags: ['tokens'], summary: 'Revoke a token: it is refused from now on; its name is never reused', params: tokenParamsSchema, response: { 200: tokenViewSchema, ...ACT_ERRORS } },
    },
    async (request) => app.revokeToken(request.params.name, { by: by(request) }),
  );
}
