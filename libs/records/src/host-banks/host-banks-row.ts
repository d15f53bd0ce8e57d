import { canRollBack, evolve, initialState, type HostBanks, type HostEvent } from '@bankswitch/banks';
import { streamEntityId, type RecordedEvent } from '@bankswitch/event-store';

/** One host_banks row, as the projector writes it. */
export interface HostBanksRow {
  readonly hostId: string;
  readonly bootedBank: number | null;
  readonly bank0Build: string | null;
  readonly bank0Updated: number;
  readonly bank0State: string;
  readonly bank1Build: string | null;
  readonly bank1Updated: number;
  readonly bank1State: string;
  readonly lastCampaignId: string | null;
  readonly canRollBack: boolean;
  readonly rollbackBank: number | null;
  readonly rollbackBuild: string | null;
  readonly state: HostBanks;
  readonly streamVersion: number;
  readonly lastEventAt: Date;
}

export function emptyHostBanksRow(hostId: string): HostBanksRow {
  return toRow(hostId, initialState(), null, 0, new Date(0));
}

/** Folds one event of the host's stream into its row with the bank rules' `evolve`. */
export function applyToRow(row: HostBanksRow, event: RecordedEvent): HostBanksRow {
  if (event.streamVersion !== row.streamVersion + 1) {
    throw new Error(`host_banks ${row.hostId}: event version ${event.streamVersion} does not follow ${row.streamVersion}`);
  }
  const state = evolve(row.state, event as unknown as HostEvent);
  return toRow(row.hostId, state, event.metadata.campaignId ?? row.lastCampaignId, event.streamVersion, event.recordedAt);
}

export function hostIdOf(event: RecordedEvent): string {
  return streamEntityId(event.streamId);
}

function toRow(hostId: string, state: HostBanks, lastCampaignId: string | null, streamVersion: number, lastEventAt: Date): HostBanksRow {
  const rollBack = canRollBack(state);
  const [bank0, bank1] = state.banks;
  return {
    hostId,
    bootedBank: state.bootedBank,
    bank0Build: bank0.build,
    bank0Updated: bank0.updated,
    bank0State: bank0.bootstate,
    bank1Build: bank1.build,
    bank1Updated: bank1.updated,
    bank1State: bank1.bootstate,
    lastCampaignId,
    canRollBack: rollBack.possible,
    rollbackBank: rollBack.toBank ?? null,
    rollbackBuild: rollBack.toBuild ?? null,
    state,
    streamVersion,
    lastEventAt,
  };
}
