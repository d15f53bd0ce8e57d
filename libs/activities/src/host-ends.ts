// How a campaign learns that its hosts' upgrades ended (patch
// `campaign-takes-host-ends-from-log`, libs/workflows/src/campaign.workflow.ts): not by one
// signal from each host, each an update of the campaign's one history that Temporal
// serializes, but from the `UpgradeEnded` events the hosts record anyway, many at a time.
import { Context } from '@temporalio/activity';
import type { HostOutcome } from './contracts';
import type { ActivityDependencies, LogCursor } from './ports';

export interface AwaitHostEnds {
  readonly campaignId: string;
  /** Where the last answer stopped reading (null: from the campaign's first event). */
  readonly after: LogCursor | null;
  /** Answer with no end after this long (ms), so that the campaign's history shows the wait is alive. */
  readonly waitMs: number;
}

export interface HostEnds {
  /** In the order the hosts recorded them; the campaign's decider ignores ends it already knows. */
  readonly ends: readonly HostOutcome[];
  /** Where the next call goes on from. */
  readonly after: LogCursor | null;
}

/** How often the log is read while nothing has come (each read one index range scan of the events since the last). */
const POLL_MS = 100;
/** Ends in one answer at most (each a few hundred bytes in the campaign's history). */
const MAX_ENDS = 500;

/**
 * Waits until a host of the campaign recorded its end after `after`, then answers with
 * every end recorded by then, or with none after `waitMs`. It does not wait for more once
 * it has one: reads are 100 ms apart, so ends close together come together anyway, while
 * a second of gathering held back the next hosts' starts (a campaign of 100 quick hosts
 * took 6.7 s instead of 4.2, `npm run bench:campaign`). Reads only: a retry reads the
 * same stretch again.
 */
export async function awaitHostEnds(deps: ActivityDependencies, input: AwaitHostEnds): Promise<HostEnds> {
  const started = Date.now();
  const ends: HostOutcome[] = [];
  let after = input.after;
  for (;;) {
    const page = await deps.campaigns.hostEnds(input.campaignId, after);
    ends.push(...page.ends);
    after = page.after ?? after;
    Context.current().heartbeat();
    const waited = Date.now() - started;
    // A long stretch of the log (a retry run reads from the campaign's first event) is read
    // in answers of at most waitMs each, so that each moves the campaign's place on.
    if (ends.length >= MAX_ENDS || waited >= input.waitMs) return { ends, after };
    if (page.more) continue;
    if (ends.length > 0) return { ends, after };
    // Cancellable: once the campaign's run has closed (ended, continued as new), a heartbeat
    // learns it and the wait stops.
    await Context.current().sleep(Math.min(POLL_MS, Math.max(1, input.waitMs - waited)));
  }
}
