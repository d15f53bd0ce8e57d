// The inventory and what the engine knows of each host: list, show, history, import, and
// the drift watch on demand.
import {
  approveHostsBodySchema,
  campaignProgressSchema,
  driftWatchReportSchema,
  historyQuerySchema,
  hostHistoryOrStateSchema,
  hostListQuerySchema,
  hostListSchema,
  hostParamsSchema,
  hostSummarySchema,
  importBodySchema,
  importResultSchema,
  observeBodySchema,
  type BankswitchApp,
} from '@bankswitch/app';
import type { ZodServer } from '../zod';
import { ACT_ERRORS, BODY_ERRORS, READ_ERRORS } from './answers';
import { by } from './actor';

export function hostRoutes(server: ZodServer, app: BankswitchApp): void {
  server.post(
    '/hosts/:hostId/approve',
    {
      config: { act: true },
      schema: {
        tags: ['hosts'],
        summary: 'Approve a host waiting at a pause point of its campaign\'s approvals (only at `point`, when given)',
        params: hostParamsSchema,
        body: approveHostsBodySchema,
        response: { 200: campaignProgressSchema.describe('Its campaign\'s progress after the approval'), ...ACT_ERRORS, ...BODY_ERRORS },
      },
    },
    async (request) => app.approveHost(request.params.hostId, { by: by(request), point: request.body?.point }),
  );
  server.get(
    '/hosts',
    { schema: { tags: ['hosts'], summary: 'List hosts with their banks, standing and drift', querystring: hostListQuerySchema, response: { 200: hostListSchema, ...READ_ERRORS } } },
    async (request) => ({ hosts: await app.listHosts({ cluster: request.query.cluster, drifted: request.query.drifted }) }),
  );
  server.get(
    '/hosts/:hostId',
    { schema: { tags: ['hosts'], summary: 'One host: booted bank, builds, rollback target', params: hostParamsSchema, response: { 200: hostSummarySchema, ...READ_ERRORS } } },
    async (request) => app.showHost(request.params.hostId),
  );
  server.get(
    '/hosts/:hostId/history',
    {
      schema: {
        tags: ['hosts'],
        summary: 'Bank timeline with campaign, workflow and operator per change; ?at= the banks at an instant',
        params: hostParamsSchema,
        querystring: historyQuerySchema,
        response: { 200: hostHistoryOrStateSchema, ...READ_ERRORS },
      },
    },
    async (request) => (request.query.at ? app.hostAt(request.params.hostId, request.query.at) : app.hostHistory(request.params.hostId)),
  );
  server.post(
    '/hosts/import',
    {
      config: { act: true },
      schema: {
        tags: ['hosts'],
        summary: 'Import (upsert) an inventory: an array of { id, name, address, cluster, labels?, driver?, connection? }',
        body: importBodySchema,
        response: { 200: importResultSchema, ...ACT_ERRORS, ...BODY_ERRORS },
      },
      // The schema documents the body; the application checks it (parseInventory), so that
      // the CLI and the API name the same problems at the same paths.
      validatorCompiler: () => (data) => ({ value: data }),
    },
    async (request) => app.importHosts(request.body),
  );
  server.post(
    '/hosts/observe',
    {
      config: { act: true },
      schema: {
        tags: ['hosts'],
        summary: 'Run the drift watch now over every host, a cluster, or the hosts named, and record what changed out of band',
        body: observeBodySchema,
        response: { 200: driftWatchReportSchema, ...ACT_ERRORS, ...BODY_ERRORS },
      },
    },
    async (request) => app.observeHosts({ by: by(request), hosts: request.body?.hosts, cluster: request.body?.cluster }),
  );
}
