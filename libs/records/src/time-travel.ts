import { canRollBack, evolve, initialState, type HostBanks, type HostEvent, type RollBackCheck } from '@bankswitch/banks';
import type { EventStore, RecordedEvent } from '@bankswitch/event-store';
import { hostStream, type BankswitchEvent } from './catalog';

export interface HostStateAt {
  readonly hostId: string;
  readonly at: Date;
  /** The host's stream version at that instant (0: nothing known yet). */
  readonly streamVersion: number;
  readonly banks: HostBanks;
  readonly rollBack: RollBackCheck;
}

/** A host's banks as the history said they were at `instant`, folded from its events with `evolve`. */
export async function hostStateAt(store: EventStore<BankswitchEvent>, hostId: string, instant: Date): Promise<HostStateAt> {
  const events = await store.readStream(hostStream(hostId), { recordedUpTo: instant });
  const banks = events.reduce((state, event) => evolve(state, event as HostEvent), initialState());
  return { hostId, at: instant, streamVersion: events.at(-1)?.streamVersion ?? 0, banks, rollBack: canRollBack(banks) };
}

export interface HostHistoryEntry {
  readonly event: RecordedEvent<BankswitchEvent>;
  /** The banks right after this event. */
  readonly banksAfter: HostBanks;
  readonly rollBackAfter: RollBackCheck;
}

/** The host's whole timeline for auditors: every event with who caused it and the banks after it. */
export async function hostHistory(store: EventStore<BankswitchEvent>, hostId: string): Promise<HostHistoryEntry[]> {
  const events = await store.readStream(hostStream(hostId));
  let state = initialState();
  return events.map((event) => {
    state = evolve(state, event as HostEvent);
    return { event, banksAfter: state, rollBackAfter: canRollBack(state) };
  });
}
