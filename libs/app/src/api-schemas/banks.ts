// A host's two banks as answers show them (BanksSummary, BanksAt, HostStanding).
import { z } from 'zod';
import { HOST_END_CAUSES, HOST_END_STATES } from '@bankswitch/banks';

export const driftDifferenceSchema = z.object({ subject: z.string(), expected: z.string(), observed: z.string() }).describe('One thing found changed on the host that its history did not explain');

export const hostStandingSchema = z
  .object({
    state: z.enum(['upgrading', ...HOST_END_STATES]),
    cause: z.enum(HOST_END_CAUSES).nullable().describe('Why an upgrade ended there; null while upgrading and after an operator action'),
    reason: z.string(),
    settle: z.string().nullable().describe('For a host that needs attention: the action that would settle it'),
    campaignId: z.string().nullable(),
    toBuild: z.string().nullable(),
  })
  .describe("Where the host's last upgrade (or an operator's action) left it");

export const banksSummarySchema = z.object({
  bootedBank: z.number().int().nullable(),
  bootedBuild: z.string().nullable(),
  banks: z.array(z.object({ bank: z.number().int(), build: z.string().nullable(), state: z.string().describe('VALID, INVALID, UPDATED…') })),
  canRollBack: z.boolean(),
  rollBackTo: z.object({ bank: z.number().int(), build: z.string() }).nullable(),
  standing: hostStandingSchema.nullable(),
});

export const banksAtSchema = banksSummarySchema.extend({ rollBackReason: z.string() });
