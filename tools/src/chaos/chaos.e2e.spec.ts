// The chaos suite's quick subset, in CI: real PostgreSQL and Temporal of its own (so that
// they can be stopped), worker and agent processes. Every count must be 0 and every host
// must end as its scenario allows. `npm run chaos` runs all the scenarios.
import { expect, it } from 'vitest';
import { chaosLine, chaosPassed, formatReport } from './report';
import { runChaos } from './run-chaos';
import { scenarios } from './scenarios';

it('leaves every host decided, loses and doubles nothing, and hangs nowhere (quick subset)', async () => {
  process.env.CHAOS_QUICK = '1';
  const quick = scenarios.filter((s) => s.quick);
  expect(quick.length).toBeGreaterThanOrEqual(5);
  const results = await runChaos(quick);
  // The whole table on failure: which scenario, which host, what was lost or undecided.
  const report = formatReport(results).join('\n');
  expect(chaosLine(results), report).toBe(`chaos: ${quick.length} scenarios, 0 lost, 0 duplicated, 0 undecided, 0 hung`);
  expect(chaosPassed(results), report).toBe(true);
}, 900_000);
