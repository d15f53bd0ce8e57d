// Configuration of the front doors, from the environment, and one call that opens the
// connections and builds the application service.
import os from 'node:os';
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor, type WorkflowClientInterceptor } from '@temporalio/client';
import { z } from 'zod';
import { createPrismaClient } from '@bankswitch/event-store';
import { openRecords } from '@bankswitch/records';
import { TASK_QUEUE } from '@bankswitch/workflows';
import { createBankswitchApp, type BankswitchApp } from './app';
import { appProbes, type AppProbes } from './readiness';
import { InvalidInputError } from './errors';
import { authenticateToken, type Principal } from './tokens';
import { withInfrastructureErrors } from './unavailable';

const schema = z.object({
  DATABASE_URL: z
    .string({ error: 'is not set: give the postgresql:// URL of the database (e.g. the one `npm run stack` prints)' })
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL (e.g. the one `npm run stack` prints)'),
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  BANKSWITCH_TASK_QUEUE: z.string().min(1).default(TASK_QUEUE),
  BANKSWITCH_OPERATOR: z.string().min(1).optional(),
});

export interface AppConfig {
  readonly databaseUrl: string;
  readonly temporalAddress: string;
  readonly namespace: string;
  readonly taskQueue: string;
  /** Who acts when nobody else is named: BANKSWITCH_OPERATOR, else the OS user. */
  readonly operator: string;
}

export function appConfigFromEnv(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new InvalidInputError(`the environment is incomplete:\n${problems}\nSet these variables and try again.`);
  }
  const c = parsed.data;
  return {
    databaseUrl: c.DATABASE_URL,
    temporalAddress: c.TEMPORAL_ADDRESS,
    namespace: c.TEMPORAL_NAMESPACE,
    taskQueue: c.BANKSWITCH_TASK_QUEUE,
    operator: c.BANKSWITCH_OPERATOR ?? osUser(),
  };
}

function osUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

export interface OpenApp {
  readonly app: BankswitchApp;
  readonly config: AppConfig;
  /** Who an API bearer token speaks for (undefined: unknown or revoked). */
  authenticate(token: string): Promise<Principal | undefined>;
  /** What the API's /readyz and /metrics read: whether PostgreSQL and Temporal answer, the read model's counts. */
  readonly probes: AppProbes;
  close(): Promise<void>;
}

export interface OpenAppOptions {
  /** Interceptors of the Temporal client's workflow calls (the API's tracing: Tracing.workflowClientInterceptors). */
  readonly workflowInterceptors?: readonly WorkflowClientInterceptor[];
}

export async function openBankswitchApp(config: AppConfig, options: OpenAppOptions = {}): Promise<OpenApp> {
  const prisma = createPrismaClient(config.databaseUrl);
  // Connected on first use: commands that only read the event store (hosts, campaign
  // status and lists) work while Temporal is away.
  // An operator waits for the answer: a few quick retries, not the client's default ten
  // (about 20 s before saying Temporal is away).
  const connection = Connection.lazy({ address: config.temporalAddress, connectTimeout: '5s', interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 3 }))] });
  const temporal = new Client({ connection, namespace: config.namespace, ...(options.workflowInterceptors?.length ? { interceptors: { workflow: [...options.workflowInterceptors] } } : {}) });
  const app = createBankswitchApp({ prisma, records: openRecords(prisma), temporal, taskQueue: config.taskQueue, databaseUrl: config.databaseUrl });
  const tokens = withInfrastructureErrors({ authenticateToken }, config.databaseUrl);
  return {
    app,
    config,
    authenticate: (token) => tokens.authenticateToken(prisma, token),
    probes: appProbes({ prisma, temporal, databaseUrl: config.databaseUrl }),
    async close() {
      await connection.close();
      await prisma.$disconnect();
    },
  };
}
