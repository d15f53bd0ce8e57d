// Answers of the campaign routes: progress, status, launch and retry.
import { z } from 'zod';
import { HOST_END_CAUSES, HOST_END_STATES } from '@bankswitch/banks';
import { APPROVAL_POINTS, approvalsSchema } from './approvals';
import { planOutputSchema } from './plan';

const CAMPAIGN_STATUSES = ['not-launched', 'running', 'paused', 'awaiting-approval', 'halted', 'cancelled', 'completed'] as const;
const HOST_STATUSES = ['pending', 'running', ...HOST_END_STATES] as const;

export const hostProgressSchema = z.object({
  hostId: z.string(),
  wave: z.number().int(),
  cluster: z.string(),
  status: z.enum(HOST_STATUSES),
  cause: z.enum(HOST_END_CAUSES).optional(),
  attempts: z.number().int(),
  reason: z.string().optional(),
  settle: z.string().optional().describe('For a host that needs attention: the action that would settle it'),
  operator: z.string().optional().describe('Who asked for the latest attempt, when not the launching operator'),
  awaitingApproval: z.enum(APPROVAL_POINTS).optional().describe('A running host waiting for an operator\'s approval before this step of its upgrade'),
  awaitingCommit: z.string().optional().describe('A running host that verified and waits, not committed, at this commit barrier (`wave-<n>` or `campaign`)'),
});

const barrierProgressSchema = z.object({
  barrier: z.string().describe('`wave-<n>` (commit: wave) or `campaign`'),
  hosts: z.number().int().describe('Every host behind it'),
  inPlay: z.number().int().describe('Hosts behind it still upgrading or not started'),
  verified: z.array(z.string()).describe('Hosts that verified and wait at it, not committed'),
  decision: z.enum(['commit', 'rollback']).optional().describe('What it decided (absent: not yet)'),
  reason: z.string().optional(),
});

export const campaignProgressSchema = z
  .object({
    campaignId: z.string(),
    name: z.string(),
    targetBuild: z.string(),
    status: z.enum(CAMPAIGN_STATUSES),
    wave: z.number().int(),
    waves: z.array(z.object({ index: z.number().int(), kind: z.enum(['canary', 'wave']), total: z.number().int(), counts: z.partialRecord(z.enum(HOST_STATUSES), z.number().int()) })),
    inFlight: z.number().int(),
    failed: z.number().int(),
    failureBudget: z.number().int(),
    rampUp: z
      .object({ start: z.number().int(), factor: z.number(), max: z.number().int(), unassigned: z.number().int().describe('Hosts no wave has taken yet (their wave is -1)') })
      .optional()
      .describe('Waves sized as the campaign goes: start, then factor × the last while it had no failure, at most max'),
    haltReason: z.string().optional(),
    pauseReason: z.string().optional(),
    cancelReason: z.string().optional(),
    window: z
      .object({ open: z.boolean(), opensAt: z.string().nullable().optional(), closesAt: z.string().optional() })
      .optional()
      .describe('With maintenance windows: open until closesAt, or closed until opensAt (null: not known yet, or no window ahead)'),
    waitingFor: z.string().optional().describe('What the running campaign waits for, e.g. "waiting for window (opens 2026-12-01T21:00:00.000Z)"'),
    approvals: approvalsSchema.optional(),
    awaitingApproval: z
      .object({ stage: z.array(z.string()), reboot: z.array(z.string()), commit: z.array(z.string()) })
      .optional()
      .describe('With approvals: the hosts waiting at each pause point (in flight meanwhile)'),
    commitBarrier: z
      .object({ scope: z.enum(['wave', 'campaign']), timeoutMs: z.number().int(), barriers: z.array(barrierProgressSchema) })
      .optional()
      .describe('With a commit barrier: which hosts wait at each barrier, verified and not committed, and what each decided'),
    hosts: z.array(hostProgressSchema),
  })
  .describe('How the campaign stands');

export const approveHostsBodySchema = z
  .object({
    point: z.enum(APPROVAL_POINTS).optional().describe('Only hosts waiting before this step (default: wherever each waits)'),
    hostIds: z.array(z.string()).optional().describe('Only these hosts (default: every waiting host)'),
  })
  .optional();

export const campaignViewSchema = z
  .object({
    campaignId: z.string(),
    workflowId: z.string(),
    status: z.enum([...CAMPAIGN_STATUSES, 'failed', 'terminated', 'timed-out', 'unknown']),
    running: z.boolean().describe('Its workflow runs (it may still start or settle hosts)'),
    startedAt: z.string(),
    targetBuild: z.string(),
    progress: campaignProgressSchema,
    note: z.string().optional(),
  })
  .describe('Progress while running, final state once ended');

export const campaignListSchema = z.object({ campaigns: z.array(campaignViewSchema) }).describe('Campaigns, newest first');

export const launchResultSchema = z.object({
  outcome: z.enum(['started', 'already-running']),
  campaignId: z.string(),
  workflowId: z.string(),
  runId: z.string(),
  message: z.string(),
});

export const launchAnswerSchema = launchResultSchema.extend({ plan: planOutputSchema.optional().describe('The plan it was started with (absent when it was already running)') }).describe('Started (201) or already running (200)');

export const retryResultSchema = z
  .object({
    mode: z.enum(['update', 'retry-run']).describe('update: requeued in the running campaign; retry-run: a new run of an ended one'),
    campaignId: z.string(),
    hostIds: z.array(z.string()),
    recorded: z.array(z.string()).optional(),
    runId: z.string().optional(),
    progress: campaignProgressSchema.optional(),
  })
  .describe('Hosts retried');
