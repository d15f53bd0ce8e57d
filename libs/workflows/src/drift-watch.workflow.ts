// The drift watch: looks at every host of the inventory (or the ones named) and records
// in each host's history what changed out of band. Run by a Temporal Schedule on an
// interval (ensureDriftWatchSchedule in @bankswitch/app) and on demand
// (`bankswitch hosts observe`). Hosts are looked at in batches; a large inventory is
// paged through, continuing as new when Temporal suggests it.
import { continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { DriftWatchActivities, HostObservation, ObservationOutcome } from '@bankswitch/activities';

export interface DriftWatchInput {
  /** The hosts to look at; all of the inventory when absent. */
  readonly hostIds?: readonly string[];
  /** Who asked (an operator, or the schedule): recorded with what is found. */
  readonly by: string;
  /** Where a run that continued as new resumes: the last host id looked at, and the tally so far. */
  readonly resume?: { readonly after: string | null; readonly result: DriftWatchResult };
}

export interface DriftWatchResult {
  /** How many hosts were looked at, by outcome (outcomes no host had are absent). */
  readonly counts: Readonly<Partial<Record<ObservationOutcome, number>>>;
  /** Every host whose outcome was not `unchanged`, with what was found (the first MAX_LISTED). */
  readonly hosts: readonly HostObservation[];
}

const PAGE = 100;
const BATCH = 25;
const MAX_LISTED = 1_000;

const { listHostIds } = proxyActivities<DriftWatchActivities>({ startToCloseTimeout: '30s', retry: { initialInterval: '1s', maximumInterval: '30s' } });
// A batch heartbeats after each ten hosts; one host's look is bounded by the driver's timeout.
const { observeHosts } = proxyActivities<DriftWatchActivities>({ startToCloseTimeout: '10m', heartbeatTimeout: '2m', retry: { initialInterval: '1s', maximumInterval: '30s', maximumAttempts: 5 } });

export async function driftWatchWorkflow(input: DriftWatchInput): Promise<DriftWatchResult> {
  const counts: Partial<Record<ObservationOutcome, number>> = { ...input.resume?.result.counts };
  const listed: HostObservation[] = [...(input.resume?.result.hosts ?? [])];
  let after = input.resume?.after ?? null;

  for (;;) {
    const page = input.hostIds ? pageOf(input.hostIds, after) : await listHostIds({ after, limit: PAGE });
    if (page.length === 0) break;
    for (let i = 0; i < page.length; i += BATCH) {
      for (const observation of await observeHosts({ hostIds: page.slice(i, i + BATCH), by: input.by })) {
        counts[observation.outcome] = (counts[observation.outcome] ?? 0) + 1;
        if (observation.outcome !== 'unchanged' && listed.length < MAX_LISTED) listed.push(observation);
      }
    }
    after = page.at(-1) ?? after;
    if (workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof driftWatchWorkflow>({ ...input, resume: { after, result: { counts, hosts: listed } } });
    }
  }
  return { counts, hosts: listed };
}

/** The named hosts, a page at a time, in the order given. */
function pageOf(hostIds: readonly string[], after: string | null): readonly string[] {
  const start = after === null ? 0 : hostIds.indexOf(after) + 1;
  return hostIds.slice(start, start + PAGE);
}
