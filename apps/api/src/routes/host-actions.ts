// What operators do to one host: retry it in its campaign, cancel what runs on it, or
// settle it (rollback, abandon, commit, observe), each recorded with who and why.
import { HOST_ACTIONS } from '@bankswitch/banks';
import { hostActionOutcomeSchema, hostCancelResultSchema, hostParamsSchema, reasonBodySchema, retryResultSchema, type BankswitchApp } from '@bankswitch/app';
import { z } from 'zod';
import type { ZodServer } from '../zod';
import { ACT_ERRORS, BODY_ERRORS } from './answers';
import { by } from './actor';

const capitalized = (word: string) => `${word.charAt(0).toUpperCase()}${word.slice(1)}`;

export function hostActionRoutes(server: ZodServer, app: BankswitchApp): void {
  server.post(
    '/hosts/:hostId/retry',
    { config: { act: true }, schema: { tags: ['hosts'], summary: 'Retry the host in its last campaign', params: hostParamsSchema, body: z.strictObject({}).nullish(), response: { 200: retryResultSchema, ...ACT_ERRORS, ...BODY_ERRORS } } },
    async (request) => app.retryHost(request.params.hostId, { by: by(request) }),
  );
  server.post(
    '/hosts/:hostId/cancel',
    { config: { act: true }, schema: { tags: ['hosts'], summary: "Cancel the host's running upgrade", params: hostParamsSchema, body: reasonBodySchema, response: { 200: hostCancelResultSchema, ...ACT_ERRORS, ...BODY_ERRORS } } },
    async (request) => app.cancelHost(request.params.hostId, { by: by(request), reason: request.body?.reason }),
  );
  for (const action of HOST_ACTIONS) {
    server.post(
      `/hosts/:hostId/${action}`,
      {
        config: { act: true },
        schema: {
          tags: ['hosts'],
          summary: `${capitalized(action)} the host (operator action, recorded with who and why); 409 when the banks do not allow it or another operation holds the host`,
          params: hostParamsSchema,
          body: reasonBodySchema,
          response: { 200: hostActionOutcomeSchema, ...ACT_ERRORS, ...BODY_ERRORS },
        },
      },
      async (request) => app.hostAction(request.params.hostId, action, { by: by(request), reason: request.body?.reason }),
    );
  }
}
