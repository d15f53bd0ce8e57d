// What a chaos scenario is judged on, from the host itself and from the log: every host
// the engine touched ends decided, the record agrees with the host (nothing lost), no
// fact is recorded twice, and nothing waits for ever. Pure: the runner gathers the facts.
import { evolveAll, hostBanksFromBootCfgs, initialState, type HostBanks, type HostEvent } from '@bankswitch/banks';
import { evolveAll as evolveCampaign, initialState as initialCampaign, type CampaignEvent, type CampaignState } from '@bankswitch/campaign';

export interface RecordedFact {
  readonly type: string;
  readonly data: unknown;
  readonly causationId?: string;
}

/** What the host itself reports: its two boot.cfg files and the bank it runs, or nothing when it does not answer. */
export type HostTruth = { readonly reachable: true; readonly bootedBank: 0 | 1; readonly bank0: string | null; readonly bank1: string | null } | { readonly reachable: false };

export interface HostFacts {
  readonly hostId: string;
  readonly truth: HostTruth;
  readonly events: readonly RecordedFact[];
}

export interface HostVerdict {
  readonly hostId: string;
  /** What the host shows (booted build, banks) and what the engine recorded it as. */
  readonly truth: string;
  readonly record: string;
  readonly endState: string;
  readonly events: number;
  readonly lost: readonly string[];
  readonly duplicated: readonly string[];
  readonly undecided: readonly string[];
}

const END_STATES = new Set(['upgraded', 'rolled-back', 'fell-back', 'untouched', 'needs-attention']);

export function judgeHost(facts: HostFacts, campaign: CampaignState): HostVerdict {
  const state = evolveAll(initialState(), facts.events as HostEvent[]);
  const touched = facts.events.some((e) => e.type === 'UpgradeStarted' || e.type === 'UpgradeEnded') || campaign.hosts.some((h) => h.hostId === facts.hostId && h.status !== 'pending');
  const lost: string[] = [];
  const duplicated: string[] = [];
  const undecided: string[] = [];
  const standing = state.standing;
  const truthText = facts.truth.reachable ? describe(hostBanksFromBootCfgs(facts.truth.bank0, facts.truth.bank1, facts.truth.bootedBank)) : 'does not answer';

  // Lost: a transition the host went through that its history does not have.
  if (facts.truth.reachable) {
    const truth = hostBanksFromBootCfgs(facts.truth.bank0, facts.truth.bank1, facts.truth.bootedBank);
    for (const difference of differences(state, truth)) lost.push(`recorded ${difference}`);
  }
  const host = campaign.hosts.find((h) => h.hostId === facts.hostId);
  if (touched && !facts.events.some((e) => e.type === 'UpgradeEnded')) lost.push('no UpgradeEnded in the host history');
  if (host?.status === 'running' && facts.events.some((e) => e.type === 'UpgradeEnded') && campaign.status !== 'running' && campaign.status !== 'paused') {
    lost.push('its end is in its history but never reached the campaign');
  }

  // Duplicated: one fact recorded twice.
  duplicated.push(...repeats(facts.events, (e) => (e.type === 'BankBooted' || e.type === 'BootFellBack' ? e.causationId : undefined), 'boot'));
  duplicated.push(...repeats(facts.events, (e) => (e.type === 'UpgradeStarted' ? `attempt ${(e.data as { campaignId: string; attempt: number }).campaignId}#${(e.data as { attempt: number }).attempt}` : undefined), 'UpgradeStarted for'));
  duplicated.push(...imagesStagedTwice(facts.events));
  duplicated.push(...endsRecordedTwice(facts.events));

  // Undecided: touched, and not in an end state, or its banks left mid-upgrade without saying it needs attention.
  if (touched) {
    if (!standing || !END_STATES.has(standing.state)) undecided.push(`standing ${standing?.state ?? 'none'}`);
    if (host && (host.status === 'running' || host.status === 'pending') && campaignEnded(campaign)) undecided.push(`still ${host.status} in the ended campaign`);
    const changedAfterEnd = bankChangesAfterLastEnd(facts.events);
    if (changedAfterEnd.length > 0) undecided.push(`${changedAfterEnd.join(', ')} recorded after its end was (the end no longer describes it)`);
    if (facts.truth.reachable && standing?.state !== 'needs-attention') {
      const truth = hostBanksFromBootCfgs(facts.truth.bank0, facts.truth.bank1, facts.truth.bootedBank);
      const booted = truth.bootedBank === null ? undefined : truth.banks[truth.bootedBank];
      const other = truth.bootedBank === null ? undefined : truth.banks[truth.bootedBank === 0 ? 1 : 0];
      if (other?.bootstate === 'UPGRADING') undecided.push('an image is staged and nothing decided about it');
      if (booted?.bootstate === 'DIRTY') undecided.push('it runs an unverified image and nothing decided about it');
    }
  }
  return {
    hostId: facts.hostId,
    truth: truthText,
    record: describe(state),
    endState: standing ? `${standing.state}${standing.cause && standing.cause !== 'succeeded' && standing.cause !== 'failed' ? ` (${standing.cause})` : ''}` : touched ? '?' : 'not touched',
    events: facts.events.length,
    lost,
    duplicated,
    undecided,
  };
}

/** Campaign-level duplicates: a fact of the campaign recorded twice. */
export function campaignDuplicates(events: readonly RecordedFact[]): string[] {
  const out: string[] = [];
  out.push(...repeats(events, (e) => (e.type === 'CampaignLaunched' ? 'launch' : undefined), 'campaign'));
  out.push(...repeats(events, (e) => (e.type === 'WaveStarted' || e.type === 'WaveFinished' ? `${e.type} ${(e.data as { wave: number }).wave}` : undefined), ''));
  out.push(...repeats(events, (e) => (e.type === 'HostStarted' ? `HostStarted ${(e.data as { hostId: string }).hostId}#${(e.data as { attempt: number }).attempt}` : undefined), ''));
  // A second HostFinished for one attempt is a correction only after "needs attention".
  const last = new Map<string, string>();
  for (const e of events) {
    if (e.type !== 'HostFinished') continue;
    const d = e.data as { hostId: string; attempt: number; endState: string };
    const key = `${d.hostId}#${d.attempt}`;
    if (last.has(key) && last.get(key) !== 'needs-attention') out.push(`HostFinished ${key} twice`);
    last.set(key, d.endState);
  }
  return out;
}

export function campaignOf(campaignId: string, events: readonly RecordedFact[]): CampaignState {
  return evolveCampaign(initialCampaign(campaignId), events as CampaignEvent[]);
}

export function campaignEnded(campaign: CampaignState): boolean {
  return campaign.running === 0 && (campaign.status === 'completed' || campaign.status === 'cancelled' || campaign.status === 'halted');
}

function repeats(events: readonly RecordedFact[], keyOf: (e: RecordedFact) => string | undefined, what: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const e of events) {
    const key = keyOf(e);
    if (key === undefined) continue;
    if (seen.has(key)) out.push(`${what} ${key} twice`.trim());
    seen.add(key);
  }
  return out;
}

/** Within one attempt, an image is staged once (a retry of the activity must not stage it again). */
function imagesStagedTwice(events: readonly RecordedFact[]): string[] {
  const out: string[] = [];
  let attempt = '';
  let staged = 0;
  for (const e of events) {
    if (e.type === 'UpgradeStarted') {
      const d = e.data as { campaignId: string; attempt: number };
      attempt = `${d.campaignId}#${d.attempt}`;
      staged = 0;
    }
    if (e.type === 'ImageStaged' && ++staged > 1) out.push(`ImageStaged twice in attempt ${attempt}`);
  }
  return out;
}

/** One UpgradeEnded per attempt, unless the first said the host needs attention and a later one settled it. */
function endsRecordedTwice(events: readonly RecordedFact[]): string[] {
  const out: string[] = [];
  const last = new Map<string, string>();
  for (const e of events) {
    if (e.type !== 'UpgradeEnded') continue;
    const d = e.data as { campaignId: string; attempt: number; endState: string };
    const key = `${d.campaignId}#${d.attempt}`;
    if (last.has(key) && last.get(key) !== 'needs-attention') out.push(`UpgradeEnded ${key} twice`);
    last.set(key, d.endState);
  }
  return out;
}

const BANK_CHANGES = new Set(['ImageStaged', 'BankBooted', 'BootFellBack', 'BankCommitted', 'BankInvalidated', 'RolledBack']);

/** Bank transitions recorded after the last recorded end (UpgradeEnded or HostActionTaken): the race of a late step with its compensation. */
function bankChangesAfterLastEnd(events: readonly RecordedFact[]): string[] {
  const lastEnd = events.map((e) => e.type).findLastIndex((t) => t === 'UpgradeEnded' || t === 'HostActionTaken');
  return lastEnd < 0 ? [] : events.slice(lastEnd + 1).filter((e) => BANK_CHANGES.has(e.type)).map((e) => e.type);
}

function differences(recorded: HostBanks, truth: HostBanks): string[] {
  const out: string[] = [];
  if (recorded.bootedBank !== truth.bootedBank) out.push(`booted bank ${recorded.bootedBank}, host runs bank ${truth.bootedBank}`);
  for (const i of [0, 1] as const) {
    const r = recorded.banks[i];
    const t = truth.banks[i];
    if (r.build !== t.build || r.bootstate !== t.bootstate) out.push(`bank ${i} ${r.build ?? 'empty'} ${r.bootstate}, host has ${t.build ?? 'empty'} ${t.bootstate}`);
  }
  return out;
}

function describe(state: HostBanks): string {
  if (state.bootedBank === null) return 'nothing recorded';
  const booted = state.banks[state.bootedBank];
  const other = state.banks[state.bootedBank === 0 ? 1 : 0];
  return `${booted.build ?? '?'} ${booted.bootstate} | ${other.build ?? 'empty'} ${other.bootstate}`;
}
