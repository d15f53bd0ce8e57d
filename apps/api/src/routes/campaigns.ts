// Campaigns: plan a spec, launch it, follow it, and steer it while it runs.
import {
  approveHostsBodySchema,
  campaignListQuerySchema,
  campaignListSchema,
  campaignParamsSchema,
  campaignProgressSchema,
  campaignViewSchema,
  launchAnswerSchema,
  planOutputSchema,
  reasonBodySchema,
  retryBodySchema,
  retryResultSchema,
  specBodySchema,
  type BankswitchApp,
} from '@bankswitch/app';
import type { ZodServer } from '../zod';
import { ACT_ERRORS, BODY_ERRORS, READ_ERRORS } from './answers';
import { by } from './actor';

const STEERING = ['pause', 'resume', 'approve', 'cancel'] as const;

export function campaignRoutes(server: ZodServer, app: BankswitchApp): void {
  // A POST that only reads: any role may plan.
  server.post(
    '/campaigns/plan',
    { schema: { tags: ['campaigns'], summary: 'Validate a spec and plan it (every error with its path)', body: specBodySchema, response: { 200: planOutputSchema, ...READ_ERRORS, ...BODY_ERRORS } } },
    async (request) => app.planCampaign(request.body.spec),
  );
  server.post(
    '/campaigns',
    {
      config: { act: true },
      schema: { tags: ['campaigns'], summary: 'Launch a campaign (idempotent by spec name)', body: specBodySchema, response: { 200: launchAnswerSchema, 201: launchAnswerSchema, ...ACT_ERRORS, ...BODY_ERRORS } },
    },
    async (request, reply) => {
      const result = await app.launchCampaign(request.body.spec, { by: by(request), specDir: request.body.specDir });
      return reply.code(result.outcome === 'started' ? 201 : 200).send(result);
    },
  );
  server.get(
    '/campaigns',
    { schema: { tags: ['campaigns'], summary: 'Campaigns, newest first', querystring: campaignListQuerySchema, response: { 200: campaignListSchema, ...READ_ERRORS } } },
    async (request) => ({ campaigns: await app.listCampaigns({ limit: request.query.limit }) }),
  );
  server.get(
    '/campaigns/:campaignId',
    { schema: { tags: ['campaigns'], summary: 'Progress while running, final state once ended', params: campaignParamsSchema, response: { 200: campaignViewSchema, ...READ_ERRORS } } },
    async (request) => app.campaignStatus(request.params.campaignId),
  );
  for (const action of STEERING) {
    const call = { pause: app.pauseCampaign, resume: app.resumeCampaign, approve: app.approveCampaign, cancel: app.cancelCampaign }[action];
    server.post(
      `/campaigns/:campaignId/${action}`,
      {
        config: { act: true },
        schema: {
          tags: ['campaigns'],
          summary: `${action.charAt(0).toUpperCase()}${action.slice(1)} a running campaign`,
          params: campaignParamsSchema,
          body: reasonBodySchema,
          response: { 200: campaignProgressSchema.describe('Progress after the update'), ...ACT_ERRORS, ...BODY_ERRORS },
        },
      },
      async (request) => call(request.params.campaignId, { by: by(request), reason: request.body?.reason }),
    );
  }
  server.post(
    '/campaigns/:campaignId/approve-hosts',
    {
      config: { act: true },
      schema: {
        tags: ['campaigns'],
        summary: 'Approve every host waiting at a pause point of the campaign\'s approvals (only at `point`, only `hostIds`, when given)',
        params: campaignParamsSchema,
        body: approveHostsBodySchema,
        response: { 200: campaignProgressSchema.describe('Progress after the approval'), ...ACT_ERRORS, ...BODY_ERRORS },
      },
    },
    async (request) => app.approveCampaignHosts(request.params.campaignId, { by: by(request), point: request.body?.point, hostIds: request.body?.hostIds }),
  );
  server.post(
    '/campaigns/:campaignId/retry',
    {
      config: { act: true },
      schema: {
        tags: ['campaigns'],
        summary: 'Retry failed hosts (requeue while running, a retry run once ended)',
        params: campaignParamsSchema,
        body: retryBodySchema,
        response: { 200: retryResultSchema, ...ACT_ERRORS, ...BODY_ERRORS },
      },
    },
    async (request) => app.retryCampaign(request.params.campaignId, { by: by(request), hostIds: request.body?.hostIds }),
  );
}
