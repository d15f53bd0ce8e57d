import type { HostBanks } from '@bankswitch/banks';
import type { Db } from '@bankswitch/event-store';
import type { HostBanksRow } from './host-banks-row';

interface StoredRow {
  host_id: string;
  booted_bank: number | null;
  bank0_build: string | null;
  bank0_updated: bigint;
  bank0_state: string;
  bank1_build: string | null;
  bank1_updated: bigint;
  bank1_state: string;
  last_campaign_id: string | null;
  can_roll_back: boolean;
  rollback_bank: number | null;
  rollback_build: string | null;
  state: HostBanks;
  stream_version: bigint;
  last_event_at: Date;
}

function fromStored(r: StoredRow): HostBanksRow {
  return {
    hostId: r.host_id,
    bootedBank: r.booted_bank,
    bank0Build: r.bank0_build,
    bank0Updated: Number(r.bank0_updated),
    bank0State: r.bank0_state,
    bank1Build: r.bank1_build,
    bank1Updated: Number(r.bank1_updated),
    bank1State: r.bank1_state,
    lastCampaignId: r.last_campaign_id,
    canRollBack: r.can_roll_back,
    rollbackBank: r.rollback_bank,
    rollbackBuild: r.rollback_build,
    // Rows written before `standing` existed read as never touched by an upgrade.
    state: { ...r.state, standing: r.state.standing ?? null },
    streamVersion: Number(r.stream_version),
    lastEventAt: r.last_event_at,
  };
}

export async function loadHostBanksRows(db: Db, hostIds: readonly string[]): Promise<HostBanksRow[]> {
  if (hostIds.length === 0) return [];
  const rows = await db.$queryRaw<StoredRow[]>`SELECT * FROM host_banks WHERE host_id = ANY(${hostIds}::text[]) ORDER BY host_id`;
  return rows.map(fromStored);
}

/** All rows (or those whose host id starts with `prefix`), ordered by host id. */
export async function listHostBanksRows(db: Db, prefix = ''): Promise<HostBanksRow[]> {
  const rows = await db.$queryRaw<StoredRow[]>`SELECT * FROM host_banks WHERE starts_with(host_id, ${prefix}) ORDER BY host_id`;
  return rows.map(fromStored);
}

/** Writes rows in one statement (insert or replace). */
export async function saveHostBanksRows(db: Db, rows: readonly HostBanksRow[]): Promise<void> {
  if (rows.length === 0) return;
  const json = JSON.stringify(rows.map((r) => ({ ...r, lastEventAt: r.lastEventAt.toISOString() })));
  await db.$executeRaw`
    INSERT INTO host_banks (host_id, booted_bank, bank0_build, bank0_updated, bank0_state, bank1_build, bank1_updated,
      bank1_state, last_campaign_id, can_roll_back, rollback_bank, rollback_build, state, stream_version, last_event_at)
    SELECT r."hostId", r."bootedBank", r."bank0Build", r."bank0Updated", r."bank0State", r."bank1Build", r."bank1Updated",
      r."bank1State", r."lastCampaignId", r."canRollBack", r."rollbackBank", r."rollbackBuild", r.state, r."streamVersion", r."lastEventAt"
    FROM jsonb_to_recordset(${json}::jsonb) AS r("hostId" text, "bootedBank" int, "bank0Build" text, "bank0Updated" bigint,
      "bank0State" text, "bank1Build" text, "bank1Updated" bigint, "bank1State" text, "lastCampaignId" text,
      "canRollBack" boolean, "rollbackBank" int, "rollbackBuild" text, state jsonb, "streamVersion" bigint, "lastEventAt" timestamptz)
    ON CONFLICT (host_id) DO UPDATE SET booted_bank = excluded.booted_bank, bank0_build = excluded.bank0_build,
      bank0_updated = excluded.bank0_updated, bank0_state = excluded.bank0_state, bank1_build = excluded.bank1_build,
      bank1_updated = excluded.bank1_updated, bank1_state = excluded.bank1_state, last_campaign_id = excluded.last_campaign_id,
      can_roll_back = excluded.can_roll_back, rollback_bank = excluded.rollback_bank, rollback_build = excluded.rollback_build,
      state = excluded.state, stream_version = excluded.stream_version, last_event_at = excluded.last_event_at`;
}
