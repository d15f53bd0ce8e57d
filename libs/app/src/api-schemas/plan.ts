// A validated spec and its plan, as answers show them (PlanOutput): durations in
// milliseconds, quantities resolved to their kind.
import { z } from 'zod';
import { approvalsSchema } from './approvals';

const COMMIT_SCOPES = ['host', 'wave', 'campaign'] as const;
const quantity = z.union([z.object({ kind: z.literal('count'), count: z.number() }), z.object({ kind: z.literal('percent'), percent: z.number() })]);
const stringMap = z.record(z.string(), z.string());
const rampUp = z.object({ start: z.number().int(), factor: z.number(), max: z.number().int() });
const windows = z.array(z.object({ cron: z.string(), durationMs: z.number(), timezone: z.string() }));
const gates = z.array(
  z.object({
    name: z.string(),
    prometheus: z.object({ url: z.string(), query: z.string() }),
    expect: z.object({ op: z.enum(['<', '<=', '>', '>=', '==', '!=']), value: z.number() }),
    forMs: z.number(),
    onFail: z.enum(['halt', 'pause']),
  }),
);
const target = z.object({
  build: z.string(),
  payload: z.string(),
  sha256: z.string(),
  signature: z.string().optional().describe("Base64 Ed25519 signature of the image's SHA-256 digest"),
  allowDowngrade: z.object({ reason: z.string() }).optional().describe('A downgrade is allowed, for this reason'),
});

export const campaignSpecViewSchema = z.object({
  name: z.string(),
  description: z.string().optional(),
  target,
  hosts: z.object({ names: z.array(z.string()).optional(), clusters: z.array(z.string()).optional(), labels: stringMap.optional() }),
  strategy: z.object({
    canary: quantity,
    waves: z.array(quantity),
    rampUp: rampUp.nullable().describe('Waves sized as the campaign goes (null: the fixed waves)'),
    maxInFlight: z.number().int(),
    maxPerCluster: z.number().int().nullable(),
    failureBudget: quantity,
    pauseBetweenWaves: z.union([z.object({ kind: z.enum(['none', 'manual']) }), z.object({ kind: z.literal('timed'), ms: z.number() })]),
    timeouts: z.object({ stageMs: z.number(), rebootMs: z.number(), verifyMs: z.number(), barrierMs: z.number().describe('How long a commit barrier holds verified hosts before it rolls them back') }),
    maintenance: z.object({ timeoutMs: z.number(), vsanMode: z.enum(['ensureObjectAccessibility', 'evacuateAllData', 'noAction']) }),
  }),
  verification: z.object({
    checks: z.array(z.object({ type: z.literal('health'), name: z.string() })),
    requireRollbackImage: z.boolean(),
    waiveRollbackImage: z.array(z.string()),
  }),
  windows: windows.describe('Maintenance windows: hosts start only inside one (empty: at any time)'),
  gates: gates.describe('Health gates after the canary and each wave (empty: none)'),
  approvals: approvalsSchema,
  commit: z.enum(COMMIT_SCOPES).describe('When verified hosts commit: each on its own (host), a wave\'s hosts together (wave), every host together (campaign)'),
});

const PLAN_WARNING_KINDS = ['already-on-target', 'rollback-image-overwritten', 'no-known-good-image', 'bank-state-unknown', 'last-wave-grows', 'waves-unused', 'nothing-to-upgrade', 'downgrade'] as const;

export const campaignPlanSchema = z.object({
  campaign: z.string(),
  target,
  hosts: z.array(z.object({ id: z.string(), name: z.string(), cluster: z.string(), labels: stringMap, address: z.string().optional(), driver: z.string().optional() })).describe('Every selected host, by cluster then name'),
  skipped: z.array(z.string()).describe('Selected hosts already on the target build'),
  waves: z.array(z.object({ index: z.number().int(), kind: z.enum(['canary', 'wave']), source: z.string(), hostIds: z.array(z.string()) })),
  failureBudget: z.number().int(),
  rampUp: rampUp.nullable().describe('Waves sized as the campaign goes: the waves above are those of a campaign with no failure; after a wave with a failure the next drops back to start'),
  windows: windows.describe('Maintenance windows: hosts start only inside one'),
  nextWindows: z.array(z.object({ opensAt: z.string(), closesAt: z.string() })).describe('The next windows from when the plan was made'),
  gates: gates.describe('Health gates after the canary and each wave, before the next starts'),
  approvals: approvalsSchema,
  commit: z
    .object({ scope: z.enum(COMMIT_SCOPES), timeoutMs: z.number() })
    .describe('The fleet commit barrier: which hosts commit together (or are rolled back together), and how long a barrier holds them'),
  warnings: z.array(z.object({ kind: z.enum(PLAN_WARNING_KINDS), hostId: z.string().optional(), message: z.string() })),
});

export const planOutputSchema = z
  .object({
    campaignId: z.string(),
    spec: campaignSpecViewSchema.describe('The spec as validated: defaults filled in, durations in milliseconds'),
    plan: campaignPlanSchema,
    text: z.string().describe('The plan as an operator reads it'),
  })
  .describe('The plan: waves, skipped hosts, warnings');
