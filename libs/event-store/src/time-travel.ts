import { canRollBack, evolve, initialState, type BankEvent, type HostBanks, type RollBackCheck } from '@bankswitch/banks';
import type { Db } from './db';
import { readStream } from './read-stream';
import type { RecordedEvent } from './recorded-event';
import { hostStream } from './streams';

export interface HostStateAt {
  readonly hostId: string;
  readonly at: Date;
  /** The host's stream version at that instant (0: nothing known yet). */
  readonly streamVersion: number;
  readonly banks: HostBanks;
  readonly rollBack: RollBackCheck;
}

/** A host's banks as the history said they were at `instant`, folded from its events with `evolve`. */
export async function hostStateAt(db: Db, hostId: string, instant: Date): Promise<HostStateAt> {
  const events = await readStream(db, hostStream(hostId), { recordedUpTo: instant });
  const banks = events.reduce((state, event) => evolve(state, event as unknown as BankEvent), initialState());
  return { hostId, at: instant, streamVersion: events.at(-1)?.streamVersion ?? 0, banks, rollBack: canRollBack(banks) };
}

export interface HostHistoryEntry {
  readonly event: RecordedEvent;
  /** The banks right after this event. */
  readonly banksAfter: HostBanks;
  readonly rollBackAfter: RollBackCheck;
}

/** The host's whole timeline for auditors: every event with who caused it and the banks after it. */
export async function hostHistory(db: Db, hostId: string): Promise<HostHistoryEntry[]> {
  const events = await readStream(db, hostStream(hostId));
  let state = initialState();
  return events.map((event) => {
    state = evolve(state, event as unknown as BankEvent);
    return { event, banksAfter: state, rollBackAfter: canRollBack(state) };
  });
}
