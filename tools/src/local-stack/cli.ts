// `npm run stack`: brings the local stack up for exploring by hand and keeps it up
// until Ctrl-C. `npm run stack -- --check` starts it, reports it healthy and stops.
// `--production`: the production-shaped stack (docs/production.md): the full Temporal
// server on PostgreSQL, three worker processes on one task queue and the HTTP API.
import path from 'node:path';
import { Command } from 'commander';
import { dataRoot, startLocalStack } from './index';
import { startProductionApps } from './production-apps';

const program = new Command('stack')
  .description('Start embedded PostgreSQL and the Temporal dev server (or use DATABASE_URL / TEMPORAL_ADDRESS).')
  .option('--check', 'start, report healthy, stop')
  .option('--persistent', 'keep data under .data/ between runs')
  .option('--production', 'the full Temporal server on PostgreSQL, three workers and the API, as production runs them')
  .parse();
const options = program.opts<{ check?: boolean; persistent?: boolean; production?: boolean }>();

const started = Date.now();
const stack = options.production
  ? await startLocalStack({ name: 'stack-production', temporal: 'server', persistent: options.persistent, log: console.log })
  : await startLocalStack({ name: 'stack', ui: !options.check, persistent: options.persistent, log: console.log });
// Stopped by stack.stop() (and on Ctrl-C) before the servers.
const apps = options.production
  ? await startProductionApps(stack, { workers: 3, dir: path.join(dataRoot, 'stack-production') }).catch(async (error: unknown) => {
      await stack.stop();
      throw error;
    })
  : undefined;
console.log(`Local stack healthy in ${((Date.now() - started) / 1000).toFixed(1)} s:`);
for (const line of [...stack.describe(), ...(apps?.describe() ?? [])]) console.log(`  ${line}`);
if (options.check) {
  await stack.stop();
  console.log('Stopped.');
} else {
  console.log('Press Ctrl-C to stop.');
  await new Promise(() => {});
}
