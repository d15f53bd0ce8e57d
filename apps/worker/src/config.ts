import { z } from 'zod';
import { LOG_LEVELS, type WorkerLogLevel } from './logging';

/** The worker's configuration, from the environment, checked once at start. */
const configSchema = z.object({
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  BANKSWITCH_TASK_QUEUE: z.string().min(1).default('bankswitch'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL'),
  /** Activities running at once; keep it within the database pool (the pool is sized to it). */
  BANKSWITCH_MAX_ACTIVITIES: z.coerce.number().int().positive().default(64),
  /**
   * Database connections (default: BANKSWITCH_MAX_ACTIVITIES). Fewer lets many activities
   * wait on hosts (a reboot holds no connection) without workers × activities exceeding
   * PostgreSQL's max_connections; an activity needing one while all are busy queues for it.
   */
  BANKSWITCH_DB_POOL: z.coerce.number().int().positive().optional(),
  /** How often the drift watch looks at every host (a Temporal Schedule the worker keeps): 90s, 15m, 6h, or off. */
  BANKSWITCH_DRIFT_WATCH_EVERY: z
    .string()
    .regex(/^(off|\d+(s|m|h))$/, 'expected an interval such as 90s, 15m or 6h, or off')
    .default('15m'),
  /** /healthz, /readyz and /metrics (docs/observability.md): a port (0 picks a free one), or off (the default). */
  BANKSWITCH_WORKER_HTTP_PORT: z
    .string()
    .regex(/^(off|\d{1,5})$/, 'expected a port number (0 picks a free one) or off')
    .refine((port) => port === 'off' || Number(port) <= 65_535, 'a port is at most 65535')
    .default('off'),
  BANKSWITCH_WORKER_HTTP_HOST: z.string().min(1).default('127.0.0.1'),
  BANKSWITCH_LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  /** Ed25519 public keys images must be signed by: PEM files or folders of *.pem, comma-separated; unset: no signature required. */
  BANKSWITCH_TRUSTED_IMAGE_KEYS: z.string().optional(),
});

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000 } as const;

export interface WorkerConfig {
  readonly temporalAddress: string;
  readonly namespace: string;
  readonly taskQueue: string;
  readonly databaseUrl: string;
  readonly maxConcurrentActivities: number;
  /** Connections of the worker's database pool; absent: maxConcurrentActivities. */
  readonly databaseConnections?: number;
  /** null: no drift watch schedule. */
  readonly driftWatchEveryMs: number | null;
  /** Where /healthz, /readyz and /metrics are served; null or absent: nowhere. */
  readonly http?: { readonly host: string; readonly port: number } | null;
  /** The JSON log's level (default info). */
  readonly logLevel?: WorkerLogLevel;
  /**
   * PEM files (or folders of *.pem) of the Ed25519 public keys images must be signed by
   * (trusted-image-keys.ts): with any, every target must carry a signature by one of them.
   */
  readonly trustedImageKeyPaths?: readonly string[];
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
    ...(c.BANKSWITCH_DB_POOL ? { databaseConnections: c.BANKSWITCH_DB_POOL } : {}),
    driftWatchEveryMs: c.BANKSWITCH_DRIFT_WATCH_EVERY === 'off' ? null : Number(c.BANKSWITCH_DRIFT_WATCH_EVERY.slice(0, -1)) * UNIT_MS[c.BANKSWITCH_DRIFT_WATCH_EVERY.slice(-1) as keyof typeof UNIT_MS],
    http: c.BANKSWITCH_WORKER_HTTP_PORT === 'off' ? null : { host: c.BANKSWITCH_WORKER_HTTP_HOST, port: Number(c.BANKSWITCH_WORKER_HTTP_PORT) },
    logLevel: c.BANKSWITCH_LOG_LEVEL,
    trustedImageKeyPaths: (c.BANKSWITCH_TRUSTED_IMAGE_KEYS ?? '').split(',').map((p) => p.trim()).filter((p) => p !== ''),
  };
}
