import type { BankEvent, DriftDetected } from './events';
import { evolve } from './evolve';
import type { BankIndex, HostBanks } from './host-banks';

type Difference = DriftDetected['data']['differences'][number];

/**
 * Compares the banks read from the host with the state the history predicts and
 * returns the events that record the observation. The one expected difference, the
 * booted bank found VALID where we had DIRTY, is the host's own tooling committing the
 * new image, so it is recorded as BankCommitted rather than as drift.
 */
export function observationEvents(expected: HostBanks, observed: HostBanks, options: { always: boolean }): BankEvent[] {
  const events: BankEvent[] = [];
  const booted = observed.bootedBank;
  let baseline = expected;
  if (booted !== null && booted === expected.bootedBank) {
    const before = expected.banks[booted];
    const after = observed.banks[booted];
    if (before.bootstate === 'DIRTY' && after.bootstate === 'VALID' && before.build === after.build && after.build !== null) {
      const committed: BankEvent = { type: 'BankCommitted', data: { bank: booted, build: after.build, updated: after.updated } };
      events.push(committed);
      baseline = evolve(expected, committed);
    }
  }
  // The first observation of a host is its baseline, not drift from an empty history.
  const firstSight = expected.bootedBank === null && expected.banks.every((b) => b.build === null);
  const differences = firstSight ? [] : compare(baseline, observed);
  if (differences.length > 0) events.push({ type: 'DriftDetected', data: { differences } });
  if (differences.length > 0 || options.always) {
    const bank = (index: BankIndex) => {
      const { build, updated, bootstate } = observed.banks[index];
      return { build, updated, bootstate };
    };
    events.push({ type: 'BankStateObserved', data: { bootedBank: booted, banks: [bank(0), bank(1)] } });
  }
  return events;
}

function compare(expected: HostBanks, observed: HostBanks): Difference[] {
  const differences: Difference[] = [];
  const note = (subject: string, want: unknown, seen: unknown): void => {
    if (want !== seen) differences.push({ subject, expected: String(want), observed: String(seen) });
  };
  note('booted bank', expected.bootedBank, observed.bootedBank);
  for (const index of [0, 1] as const) {
    const want = expected.banks[index];
    const seen = observed.banks[index];
    note(`bank ${index} build`, want.build, seen.build);
    note(`bank ${index} updated`, want.updated, seen.updated);
    note(`bank ${index} bootstate`, want.bootstate, seen.bootstate);
  }
  return differences;
}
