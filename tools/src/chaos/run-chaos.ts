// The chaos suite: its own PostgreSQL and Temporal (persistent, so that they can be
// stopped and restarted), then each scenario in turn (run-scenario.ts).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createPrismaClient } from '@bankswitch/event-store';
import { openRecords } from '@bankswitch/records';
import { NEW_BUILD } from '../demo/engine';
import { dataRoot, startLocalStack } from '../local-stack/index';
import { runScenario, type ScenarioResult } from './run-scenario';
import type { Scenario } from './scenario';

export async function runChaos(selected: readonly Scenario[], options: { log?: (line: string) => void; onResult?: (result: ScenarioResult) => void } = {}): Promise<ScenarioResult[]> {
  const log = options.log ?? (() => {});
  // The suite stops and starts its servers: it never uses ones named by the environment.
  const saved = { DATABASE_URL: process.env.DATABASE_URL, TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS };
  delete process.env.DATABASE_URL;
  delete process.env.TEMPORAL_ADDRESS;
  const name = `chaos-${process.pid}`;
  const dir = path.join(dataRoot, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(path.join(dataRoot, `temporal-${name}.sqlite`), { force: true });
  fs.mkdirSync(dir, { recursive: true });
  const stack = await startLocalStack({ name, persistent: true, log });
  Object.assign(process.env, saved);
  const prisma = createPrismaClient(stack.databaseUrl, { maxConnections: 5 });
  const connection = await Connection.connect({ address: stack.temporalAddress });
  try {
    const payload = Buffer.from(`ESXi ${NEW_BUILD} image\n`.repeat(4096));
    const image = { path: path.join(dir, 'esxi-new.iso'), sha256: createHash('sha256').update(payload).digest('hex'), build: NEW_BUILD };
    fs.writeFileSync(image.path, payload);
    const env = { stack, client: new Client({ connection }), prisma, records: openRecords(prisma), image, dir, log };
    const results: ScenarioResult[] = [];
    for (const scenario of selected) {
      log(`scenario ${scenario.name}: ${scenario.what}…`);
      const result = await runScenario(scenario, env);
      results.push(result);
      options.onResult?.(result);
    }
    return results;
  } finally {
    await connection.close().catch(() => undefined);
    await prisma.$disconnect().catch(() => undefined);
    await stack.stop();
    if (stack.postgres.dataDir) fs.rmSync(stack.postgres.dataDir, { recursive: true, force: true });
    fs.rmSync(path.join(dataRoot, `temporal-${name}.sqlite`), { force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
