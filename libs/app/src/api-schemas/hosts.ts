// Answers of the host routes: the inventory with banks, history, the drift watch, actions.
import { z } from 'zod';
import { HOST_ACTIONS } from '@bankswitch/banks';
import { banksAtSchema, banksSummarySchema, driftDifferenceSchema } from './banks';

const stringMap = z.record(z.string(), z.string());

export const hostBanksViewSchema = banksSummarySchema.extend({
  lastCampaignId: z.string().nullable(),
  lastEventAt: z.string(),
  drift: z.array(driftDifferenceSchema).nullable().describe('What was last found changed out of band; null: nothing'),
});

export const hostSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string(),
  cluster: z.string(),
  labels: stringMap,
  driver: z.string(),
  connection: stringMap.optional().describe('esxi-ssh: the user, the pinned host key and where the credentials are (never secrets)'),
  banks: hostBanksViewSchema.nullable().describe('null until the engine has seen the host'),
});

export const hostListSchema = z.object({ hosts: z.array(hostSummarySchema) }).describe('Hosts by cluster, then name');

export const importResultSchema = z
  .object({ created: z.array(z.string()), updated: z.array(z.string()), unchanged: z.array(z.string()) })
  .describe('Host ids created, updated and unchanged');

export const historyEntrySchema = z.object({
  at: z.string(),
  version: z.number().int(),
  type: z.string(),
  summary: z.string().describe('The transition in words'),
  data: z.unknown().describe("The event's data, as recorded"),
  after: banksAtSchema,
  campaignId: z.string().optional(),
  workflowId: z.string().optional(),
  runId: z.string().optional(),
  activity: z.string().optional(),
  operator: z.string().optional(),
});

export const hostHistorySchema = z.object({ hostId: z.string(), entries: z.array(historyEntrySchema) });

export const hostStateViewSchema = banksAtSchema.extend({
  hostId: z.string(),
  at: z.string(),
  streamVersion: z.number().int().describe('Events of the host known at that instant (0: the engine had not seen it yet)'),
});

export const hostHistoryOrStateSchema = z.union([hostHistorySchema, hostStateViewSchema]).describe('The bank timeline; with ?at=, the banks at that instant');

const OBSERVATION_OUTCOMES = ['unchanged', 'first-sight', 'drifted', 'key-mismatch', 'busy', 'unreachable', 'login-refused', 'failed'] as const;

export const driftWatchReportSchema = z
  .object({
    counts: z.partialRecord(z.enum(OBSERVATION_OUTCOMES), z.number().int()).describe('Hosts looked at, by outcome'),
    hosts: z.array(
      z.object({
        hostId: z.string(),
        outcome: z.enum(OBSERVATION_OUTCOMES),
        differences: z.array(driftDifferenceSchema).optional(),
        detail: z.string().optional(),
      }),
    ),
    workflowId: z.string(),
  })
  .describe('Counts by outcome, and every host not found unchanged');

export const hostActionOutcomeSchema = z
  .object({
    hostId: z.string(),
    action: z.enum(HOST_ACTIONS),
    workflowId: z.string(),
    endState: z.string(),
    detail: z.string(),
    settle: z.string().optional(),
    message: z.string(),
  })
  .describe('The end state the action left the host in');

export const hostCancelResultSchema = z.object({ hostId: z.string(), workflowId: z.string(), message: z.string() }).describe('Cancellation requested');
