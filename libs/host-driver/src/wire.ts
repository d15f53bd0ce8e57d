// The agent's HTTP API as data: one zod schema per answer. The agent builds its answers
// from these types and the HTTP driver validates every answer against them, so the
// contract lives in one place.
import { z } from 'zod';

/** Every answer carries this header; the driver compares it with the inventory id. */
export const HOST_ID_HEADER = 'x-bankswitch-host-id';

export const bankIndexSchema = z.union([z.literal(0), z.literal(1)]);
export type BankIndex = z.infer<typeof bankIndexSchema>;

export const bankViewSchema = z.object({
  bank: bankIndexSchema,
  /** boot.cfg exactly as on disk, or null when the bank holds none (empty bank). */
  bootCfg: z.string().nullable(),
  /** sha256 (hex) of the bank's image payload, or null when there is none. */
  imageSha256: z.string().nullable(),
});
export type BankView = z.infer<typeof bankViewSchema>;

export const incompleteStageSchema = z.object({
  bank: bankIndexSchema,
  build: z.string(),
  startedAt: z.string(),
});
export type IncompleteStage = z.infer<typeof incompleteStageSchema>;

export const hostStateSchema = z.object({
  hostId: z.string(),
  name: z.string(),
  bootId: z.string(),
  bootedAt: z.string(),
  uptimeMs: z.number().nonnegative(),
  bootedBank: bankIndexSchema,
  runningBuild: z.string(),
  banks: z.tuple([bankViewSchema, bankViewSchema]),
  /** Set when a stage was interrupted (connection dropped, agent killed): the alt bank is suspect. */
  incompleteStage: incompleteStageSchema.nullable(),
  /** In maintenance mode: its VMs were moved away, it may be staged and rebooted. */
  maintenanceMode: z.boolean().default(false),
});
export type HostState = z.infer<typeof hostStateSchema>;

export const stageResultSchema = z.object({
  bank: bankIndexSchema,
  build: z.string(),
  updated: z.number().int(),
  imageSha256: z.string(),
  bootCfg: z.string(),
});
export type StageResult = z.infer<typeof stageResultSchema>;

/** vSAN's evacuation modes (`esxcli system maintenanceMode set --vsanmode`). */
export const VSAN_MODES = ['ensureObjectAccessibility', 'evacuateAllData', 'noAction'] as const;
export type VsanMode = (typeof VSAN_MODES)[number];

export const maintenanceModeRequestSchema = z.object({
  enable: z.boolean(),
  /** How long entering may take (VMs being evacuated) before it is given up. */
  timeoutMs: z.number().int().positive().default(30 * 60_000),
  vsanMode: z.enum(VSAN_MODES).default('ensureObjectAccessibility'),
});
export type MaintenanceModeRequest = z.input<typeof maintenanceModeRequestSchema>;

export const maintenanceModeResultSchema = z.object({ enabled: z.boolean(), changed: z.boolean() });
export type MaintenanceModeResult = z.infer<typeof maintenanceModeResultSchema>;

export const rebootAcceptedSchema = z.object({
  previousBootId: z.string(),
  shiftR: z.boolean(),
});
export type RebootAccepted = z.infer<typeof rebootAcceptedSchema>;

export const commitRequestSchema = z.object({
  bank: bankIndexSchema.optional(),
  build: z.string().optional(),
});
export type CommitRequest = z.infer<typeof commitRequestSchema>;

export const commitResultSchema = z.object({
  bank: bankIndexSchema,
  build: z.string(),
  /** false when the bank was VALID already (commit is idempotent). */
  changed: z.boolean(),
  bootCfg: z.string(),
});
export type CommitResult = z.infer<typeof commitResultSchema>;

export const abandonStageResultSchema = z.object({
  bank: bankIndexSchema,
  /** The build the bank held, or null when empty. */
  build: z.string().nullable(),
  /** false when no staged (UPGRADING) image was there. */
  changed: z.boolean(),
});
export type AbandonStageResult = z.infer<typeof abandonStageResultSchema>;

export const healthReportSchema = z.object({
  ok: z.boolean(),
  checks: z.array(z.object({ name: z.string(), ok: z.boolean(), detail: z.string() })),
});
export type HealthReport = z.infer<typeof healthReportSchema>;

export const bootOutcomeSchema = z.enum(['up', 'panic', 'hang', 'no-bootable-bank']);
export type BootOutcome = z.infer<typeof bootOutcomeSchema>;

export const bootLogEntrySchema = z.object({
  at: z.string(),
  /** The boot id the host got, when the boot completed (outcome 'up'). */
  bootId: z.string().nullable(),
  bank: bankIndexSchema.nullable(),
  build: z.string().nullable(),
  shiftR: z.boolean(),
  outcome: bootOutcomeSchema,
  lines: z.array(z.string()),
});
export type BootLogEntry = z.infer<typeof bootLogEntrySchema>;

export const bootLogSchema = z.object({ boots: z.array(bootLogEntrySchema) });

/** Body of every 4xx answer. */
export const refusalSchema = z.object({ error: z.string(), message: z.string() });
export type Refusal = z.infer<typeof refusalSchema>;
