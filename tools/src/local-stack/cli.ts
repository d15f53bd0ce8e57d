// `npm run stack`: brings the local stack up for exploring by hand and keeps it up
// until Ctrl-C. `npm run stack -- --check` starts it, reports it healthy and stops.
import { Command } from 'commander';
import { startLocalStack } from './index';

const program = new Command('stack')
  .description('Start embedded PostgreSQL and the Temporal dev server (or use DATABASE_URL / TEMPORAL_ADDRESS).')
  .option('--check', 'start, report healthy, stop')
  .option('--persistent', 'keep data under .data/ between runs')
  .parse();
const options = program.opts<{ check?: boolean; persistent?: boolean }>();

const started = Date.now();
const stack = await startLocalStack({ name: 'stack', ui: !options.check, persistent: options.persistent, log: console.log });
console.log(`Local stack healthy in ${((Date.now() - started) / 1000).toFixed(1)} s:`);
for (const line of stack.describe()) console.log(`  ${line}`);
if (options.check) {
  await stack.stop();
  console.log('Stopped.');
} else {
  console.log('Press Ctrl-C to stop.');
  await new Promise(() => {});
}
