import { z } from 'zod';

/** The worker's configuration, from the environment, checked once at start. */
const configSchema = z.object({
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  BANKSWITCH_TASK_QUEUE: z.string().min(1).default('bankswitch'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL'),
  /** Activities running at once; keep it within the database pool (the pool is sized to it). */
  BANKSWITCH_MAX_ACTIVITIES: z.coerce.number().int().positive().default(64),
});

export interface WorkerConfig {
  readonly temporalAddress: string;
  readonly namespace: string;
  readonly taskQueue: string;
  readonly databaseUrl: string;
  readonly maxConcurrentActivities: number;
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
  };
}
