// Where a command goes: through the API when a server is named (--server or
// BANKSWITCH_SERVER, with BANKSWITCH_TOKEN), the way `temporal` talks to its frontend and
// `kubectl` to its API server; otherwise straight to PostgreSQL and Temporal with the
// environment's DATABASE_URL (whoever holds the database administers Bankswitch: that is
// how the first token is created).
import { AppError, appConfigFromEnv, openBankswitchApp, startTracing, type BankswitchApp } from '@bankswitch/app';
import { createApiClient } from '@bankswitch/api-client';

export interface Connected {
  readonly app: BankswitchApp;
  /** Recorded as `by` in process; through the API the server records the token's name instead. */
  readonly operator: string;
  close(): Promise<void>;
}

export async function connect(options: { server?: string }, env: NodeJS.ProcessEnv = process.env): Promise<Connected> {
  const server = options.server ?? env.BANKSWITCH_SERVER;
  if (server) {
    const token = env.BANKSWITCH_TOKEN;
    if (!token) throw new AppError('unauthenticated', `talking to the API at ${server} needs a token: set BANKSWITCH_TOKEN (an operator creates one with \`bankswitch tokens create --name <you> --role operator|auditor\`)`);
    if (!/^https?:\/\//.test(server)) throw new AppError('invalid-input', `--server/BANKSWITCH_SERVER must be the API's http(s):// URL (e.g. http://127.0.0.1:8080), not "${server}"`);
    return { app: createApiClient({ server, token }), operator: '(the token)', close: async () => undefined };
  }
  const config = appConfigFromEnv(env);
  // With OTEL_EXPORTER_OTLP_ENDPOINT set, a campaign launched here starts its trace, as
  // one launched through the API does (workflows are traced when their start is).
  const tracing = await startTracing({ serviceName: 'bankswitch-cli', env });
  const opened = await openBankswitchApp(config, { workflowInterceptors: tracing.workflowClientInterceptors });
  return {
    app: opened.app,
    operator: config.operator,
    close: async () => {
      await opened.close();
      await tracing.shutdown().catch(() => {});
    },
  };
}
