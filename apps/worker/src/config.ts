import { z } from 'zod';

/** The worker's configuration, from the environment, checked once at start. */
const configSchema = z.object({
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  BANKSWITCH_TASK_QUEUE: z.string().min(1).default('bankswitch'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL'),
  /** Activities running at once; keep it within the database pool (the pool is sized to it). */
  BANKSWITCH_MAX_ACTIVITIES: z.coerce.number().int().positive().default(64),
  /** How often the drift watch looks at every host (a Temporal Schedule the worker keeps): 90s, 15m, 6h, or off. */
  BANKSWITCH_DRIFT_WATCH_EVERY: z
    .string()
    .regex(/^(off|\d+(s|m|h))$/, 'expected an interval such as 90s, 15m or 6h, or off')
    .default('15m'),
});

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000 } as const;

export interface WorkerConfig {
  readonly temporalAddress: string;
  readonly namespace: string;
  readonly taskQueue: string;
  readonly databaseUrl: string;
  readonly maxConcurrentActivities: number;
  /** null: no drift watch schedule. */
  readonly driftWatchEveryMs: number | null;
}

export function workerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`The worker's environment is incomplete:\n${problems}\nSet these variables and start it again.`);
  }
  const c = parsed.data;
  return {
    temporalAddress: c.TEMPORAL_ADDRESS,
    namespace: c.TEMPORAL_NAMESPACE,
    taskQueue: c.BANKSWITCH_TASK_QUEUE,
    databaseUrl: c.DATABASE_URL,
    maxConcurrentActivities: c.BANKSWITCH_MAX_ACTIVITIES,
    driftWatchEveryMs: c.BANKSWITCH_DRIFT_WATCH_EVERY === 'off' ? null : Number(c.BANKSWITCH_DRIFT_WATCH_EVERY.slice(0, -1)) * UNIT_MS[c.BANKSWITCH_DRIFT_WATCH_EVERY.slice(-1) as keyof typeof UNIT_MS],
  };
}
