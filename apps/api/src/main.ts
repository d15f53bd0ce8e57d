// `tsx apps/api/src/main.ts`: the HTTP API. Env: DATABASE_URL, TEMPORAL_ADDRESS,
// BANKSWITCH_TASK_QUEUE, BANKSWITCH_API_TOKENS ("tok=operator:alice,tok2=auditor:bob"),
// BANKSWITCH_API_HOST (127.0.0.1), BANKSWITCH_API_PORT (8080; 0 picks a free port).
import { appConfigFromEnv, openBankswitchApp } from '@bankswitch/app';
import { parseTokens } from './auth';
import { buildApiServer } from './server';

const tokens = parseTokens(process.env.BANKSWITCH_API_TOKENS);
const opened = await openBankswitchApp(appConfigFromEnv());
const server = await buildApiServer({ app: opened.app, tokens, logger: process.env.BANKSWITCH_API_LOG === '1' });
const address = await server.listen({ host: process.env.BANKSWITCH_API_HOST ?? '127.0.0.1', port: Number(process.env.BANKSWITCH_API_PORT ?? 8080) });
console.log(`bankswitch api: listening on ${address} (OpenAPI ${address}/openapi.json, docs ${address}/docs)`);

const stop = async () => {
  await server.close();
  await opened.close();
  console.log('bankswitch api: stopped');
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
