// `npm run chaos`: the engine under failure. Real PostgreSQL, Temporal, worker and agent
// processes; per scenario, every host's end as the host reports it next to the engine's
// record, lost, duplicated, undecided and hung counted. Last line:
//   chaos: <N> scenarios, <L> lost, <D> duplicated, <U> undecided, <H> hung
// Options: --quick (the subset CI runs), --only <name,name>.
import { parseArgs } from 'node:util';
import { chaosPassed, formatReport } from './report';
import { runChaos } from './run-chaos';
import { scenarios } from './scenarios';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } } });
const only = values.only?.split(',').map((s) => s.trim());
if (values.quick) process.env.CHAOS_QUICK = '1';
const selected = scenarios.filter((s) => (only ? only.includes(s.name) : !values.quick || s.quick));
if (only && selected.length !== only.length) {
  console.error(`unknown scenario in --only: known are ${scenarios.map((s) => s.name).join(', ')}`);
  process.exit(2);
}
const started = Date.now();
console.log(`Bankswitch chaos suite: ${selected.length} scenarios against real PostgreSQL, Temporal, worker and agent processes`);
const results = await runChaos(selected, {
  log: (line) => console.log(line),
  onResult: (r) => console.log(`  → ${r.campaign}; lost ${r.lost}, duplicated ${r.duplicated}, undecided ${r.undecided}, hung ${r.hung}${r.unexpected.length ? `; unexpected: ${r.unexpected.join('; ')}` : ''} (${r.seconds.toFixed(0)} s)`),
});
console.log(`\nAll scenarios in ${((Date.now() - started) / 1000).toFixed(0)} s:\n`);
for (const line of formatReport(results)) console.log(line);
process.exit(chaosPassed(results) ? 0 : 1);
