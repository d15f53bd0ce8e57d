import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createPrismaClient } from '@bankswitch/event-store';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createSmokeActivities } from './smoke/activities';
import { smokeWorkflow } from './smoke/workflows';

Runtime.install({ logger: new DefaultLogger('WARN') });
const prisma = createPrismaClient(process.env.DATABASE_URL!);

beforeAll(async () => {
  await prisma.$connect();
});
afterAll(async () => {
  await prisma.$disconnect();
});

test('a worker on the started Temporal server runs a workflow whose activity writes a row through Prisma', async () => {
  const address = process.env.TEMPORAL_ADDRESS!;
  const taskQueue = `smoke-${randomUUID()}`;
  const workerConnection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection: workerConnection,
    taskQueue,
    workflowsPath: fileURLToPath(new URL('./smoke/workflows.ts', import.meta.url)),
    activities: createSmokeActivities(prisma),
  });
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const hostId = `smoke-${randomUUID()}`;
  try {
    const result = await worker.runUntil(
      client.workflow.execute(smokeWorkflow, { taskQueue, workflowId: `smoke-${hostId}`, args: [hostId] }),
    );
    expect(result).toBe(hostId);
    const row = await prisma.host.findUnique({ where: { id: hostId } });
    expect(row).toMatchObject({ id: hostId, cluster: 'smoke' });
  } finally {
    await connection.close();
    await workerConnection.close();
  }
});
