// A host's bank timeline for auditors (who and what caused each transition) and its
// banks as they were at an instant, both folded from its event stream.
import type { HostBanks, HostStanding, RollBackCheck } from '@bankswitch/banks';
import type { HostHistoryEntry, Records } from '@bankswitch/records';
import { InvalidInputError } from './errors';

/** A host's two banks as operators read them: what runs, and what it can roll back to. */
export interface BanksSummary {
  readonly bootedBank: number | null;
  readonly bootedBuild: string | null;
  readonly banks: readonly { readonly bank: number; readonly build: string | null; readonly state: string }[];
  readonly canRollBack: boolean;
  readonly rollBackTo: { readonly bank: number; readonly build: string } | null;
  /** Where the host's last upgrade (or an operator's action) left it: an end state, or 'upgrading'. */
  readonly standing: HostStanding | null;
}

export interface BanksAt extends BanksSummary {
  readonly rollBackReason: string;
}

export interface HistoryEntry {
  readonly at: string;
  readonly version: number;
  readonly type: string;
  /** The transition in words. */
  readonly summary: string;
  readonly data: unknown;
  readonly after: BanksAt;
  readonly campaignId?: string;
  readonly workflowId?: string;
  readonly runId?: string;
  readonly activity?: string;
  readonly operator?: string;
}

export interface HostStateView extends BanksAt {
  readonly hostId: string;
  readonly at: string;
  /** Events of the host known at that instant (0: the engine had not seen it yet). */
  readonly streamVersion: number;
}

export function banksAt(state: HostBanks, rollBack: RollBackCheck): BanksAt {
  const banks = state.banks.map((b, bank) => ({ bank, build: b.build, state: b.bootstate }));
  return {
    bootedBank: state.bootedBank,
    bootedBuild: state.bootedBank === null ? null : (state.banks[state.bootedBank]?.build ?? null),
    banks,
    canRollBack: rollBack.possible,
    rollBackTo: rollBack.possible && rollBack.toBank !== undefined && rollBack.toBuild !== undefined ? { bank: rollBack.toBank, build: rollBack.toBuild } : null,
    rollBackReason: rollBack.reason,
    standing: state.standing,
  };
}

type Data = Record<string, unknown>;

/**
 * What auditors ask of a staged image besides its build: which of the worker's trusted
 * keys verified its signature (none named: the worker required no signature), and why
 * an older build than the running one was allowed (`target.allowDowngrade`).
 */
function stagedImageFacts(d: Data): string {
  const downgrade = d.downgrade as { fromBuild?: string; reason?: string } | undefined;
  return `${d.signedBy ? `; signed by trusted key ${String(d.signedBy)}` : ''}${downgrade ? `; downgrade from ${downgrade.fromBuild} allowed: ${downgrade.reason}` : ''}`;
}

const summaries: Record<string, (d: Data) => string> = {
  ImageStaged: (d) =>
    `staged ${d.build} into bank ${d.bank}${d.replacedBuild ? `, replacing ${d.replacedBuild}` : ''}${d.rollbackImageLost ? ' (its rollback image is lost)' : ''}${stagedImageFacts(d)}`,
  BankBooted: (d) => `booted bank ${d.bank} (${d.build})${d.firstBoot ? ', first boot of the new image' : ''}`,
  BootFellBack: (d) => `boot of bank ${d.failedBank} (${d.failedBuild ?? 'unknown build'}) failed; the loader fell back to bank ${d.bank} (${d.build})`,
  BankCommitted: (d) => `committed bank ${d.bank} (${d.build}) as known-good`,
  BankInvalidated: (d) => `invalidated bank ${d.bank} (${d.build ?? 'empty'}): ${d.reason}`,
  RolledBack: (d) => `rolled back from bank ${d.fromBank} (${d.fromBuild ?? 'unknown'}) to bank ${d.toBank} (${d.toBuild})`,
  DriftDetected: (d) => `drift: ${((d.differences as { subject: string; expected: string; observed: string }[]) ?? []).map((x) => `${x.subject} expected ${x.expected}, observed ${x.observed}`).join('; ')}`,
  UpgradeStarted: (d) => `upgrade to ${d.toBuild} started by campaign ${d.campaignId} (attempt ${d.attempt}${d.resumeFrom === 'stage' ? '' : `, resuming at ${d.resumeFrom}`})`,
  UpgradeEnded: (d) => `upgrade to ${d.toBuild} ended: ${d.endState}${d.endState === 'upgraded' ? '' : ` (${d.cause}) — ${d.reason}`}${d.settle ? `; to settle: ${d.settle}` : ''}`,
  MaintenanceModeEntered: (d) => `entered maintenance mode (VMs evacuated; vSAN mode ${d.vsanMode})${d.campaignId ? '' : ' for an operator\'s action'}`,
  HostKeyMismatch: (d) => `refused: the host at ${d.address} presented SSH host key ${d.presented}, not the pinned ${d.pinned}; nothing was sent to it`,
  MaintenanceModeExited: () => 'left maintenance mode',
  HostApprovalRequested: (d) => `waiting for an operator's approval before the ${d.point} (campaign ${d.campaignId})`,
  HostApprovalGranted: (d) => `approved before the ${d.point}${d.by ? ` by ${d.by}` : ''}`,
  CommitBarrierReached: (d) => `verified; waiting at the commit barrier (${d.barrier}) of campaign ${d.campaignId}, not committed`,
  CommitBarrierReleased: (d) => `the commit barrier (${d.barrier}) decided: ${d.decision === 'commit' ? 'commit' : 'roll back'} (${d.reason})`,
  HostActionTaken: (d) => `${d.action} by an operator (${d.reason}): ${d.endState} — ${d.detail}${d.settle ? `; to settle: ${d.settle}` : ''}`,
  BankStateObserved: (d) => {
    const banks = (d.banks as { build: string | null; bootstate: string }[]) ?? [];
    return `observed: booted bank ${d.bootedBank ?? '?'}; ${banks.map((b, i) => `bank ${i} ${b.build ?? 'empty'} ${b.bootstate}`).join(', ')}`;
  },
};

/** A host event in words, as the history shows it (the CLI, the API and the dashboard). */
export function hostEventSummary(type: string, data: unknown): string {
  return summaries[type]?.(data as Data) ?? type;
}

function entry(e: HostHistoryEntry): HistoryEntry {
  const data = e.event.data as Data;
  const m = e.event.metadata;
  return {
    at: e.event.recordedAt.toISOString(),
    version: e.event.streamVersion,
    type: e.event.type,
    summary: hostEventSummary(e.event.type, data),
    data,
    after: banksAt(e.banksAfter, e.rollBackAfter),
    campaignId: m.campaignId,
    workflowId: m.workflowId,
    runId: m.runId,
    activity: m.activity,
    operator: m.operator,
  };
}

export async function hostTimeline(records: Records, hostId: string): Promise<HistoryEntry[]> {
  return (await records.hostHistory(hostId)).map(entry);
}

/** An instant from ISO 8601 or anything Date.parse reads; "now" for the present. */
export function parseInstant(text: string): Date {
  const instant = text === 'now' ? new Date() : new Date(text);
  if (Number.isNaN(instant.getTime())) {
    throw new InvalidInputError(`"${text}" is not a time: give an ISO 8601 instant such as 2025-06-01T14:05:00Z (or a local time such as "2025-06-01 16:05")`);
  }
  return instant;
}

export async function hostBanksAt(records: Records, hostId: string, instant: Date): Promise<HostStateView> {
  const state = await records.hostStateAt(hostId, instant);
  return { hostId, at: instant.toISOString(), streamVersion: state.streamVersion, ...banksAt(state.banks, state.rollBack) };
}
