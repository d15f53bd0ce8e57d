// Vitest global setup for projects with integration and end-to-end tests.
//
// Under `npm run test:all` the stack is already up (one PostgreSQL with the migrations
// applied, one Temporal dev server) and named by BANKSWITCH_TEST_DATABASE_URL and
// TEMPORAL_ADDRESS: each project then gets its own database cloned from the migrated
// one. Run alone (`npx nx test <project>`), a project starts its own stack. Either way
// the test workers find DATABASE_URL and TEMPORAL_ADDRESS in their environment, and
// whatever was started here is stopped when the run ends, also when tests fail.
import type { TestProject } from 'vitest/node';
import { startLocalStack, type LocalStack } from './index';
import { cloneDatabase, dropDatabase } from './test-database';

let stack: LocalStack | undefined;
let clonedDatabaseUrl: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  const shared = process.env.BANKSWITCH_TEST_DATABASE_URL;
  if (shared && process.env.TEMPORAL_ADDRESS) {
    const name = `test_${project.config.name.replace(/\W/g, '_')}_${process.pid}`;
    clonedDatabaseUrl = await cloneDatabase(shared, name);
    process.env.DATABASE_URL = clonedDatabaseUrl;
    return;
  }
  stack = await startLocalStack({ name: `test-${process.pid}` });
  process.env.DATABASE_URL = stack.databaseUrl;
  process.env.TEMPORAL_ADDRESS = stack.temporalAddress;
}

export async function teardown(): Promise<void> {
  if (clonedDatabaseUrl) await dropDatabase(clonedDatabaseUrl).catch(() => {});
  await stack?.stop();
}
