// Human-readable output of every read; `--json` prints the app layer's objects instead.
import type { BanksAt, CampaignProgress, CampaignView, DriftWatchReport, HistoryEntry, HostActionOutcome, HostStateView, HostSummary, ImportResult, PlanOutput, RetryResult, TokenView } from '@bankswitch/app';
import type { DriftDifference } from '@bankswitch/banks';
import type { HostStanding } from '@bankswitch/banks';
import { table } from './table';

const bankText = (b: { bank: number; build: string | null; state: string }) => `bank ${b.bank}: ${b.build ?? '(empty)'} ${b.state}`;

/** A cause worth showing beside an end state: the ones the state does not already say (cancelled, refused, already on target). */
const causeNote = (cause: string | null | undefined): string => (cause && cause !== 'succeeded' && cause !== 'failed' ? ` (${cause})` : '');

/** Where the last upgrade left the host: "upgraded", "rolled-back (cancelled)", "upgrading". */
const standingText = (s: HostStanding | null | undefined): string => (s ? `${s.state}${causeNote(s.cause)}` : '-');

/** "bank 1 bootstate VALID→INVALID; booted bank 1→0" */
const driftText = (drift: readonly DriftDifference[] | null | undefined): string => (drift?.length ? drift.map((d) => `${d.subject} ${d.expected}→${d.observed}`).join('; ') : '-');

export function formatHosts(hosts: readonly HostSummary[]): string {
  if (hosts.length === 0) return 'No hosts to show (none imported, or none matches). Import some with `bankswitch hosts import <inventory.json>`.';
  return table(
    ['HOST', 'CLUSTER', 'BOOTED', 'ROLLBACK TO', 'STANDING', 'LAST CAMPAIGN', 'DRIFT'],
    hosts.map((h) => [
      h.id,
      h.cluster,
      h.banks ? `${h.banks.bootedBuild ?? '?'} (bank ${h.banks.bootedBank ?? '?'})` : '(not seen yet)',
      h.banks ? (h.banks.rollBackTo ? `${h.banks.rollBackTo.build} (bank ${h.banks.rollBackTo.bank})` : 'none') : '-',
      standingText(h.banks?.standing),
      h.banks?.lastCampaignId ?? '-',
      driftText(h.banks?.drift),
    ]),
  );
}

const OUTCOME_WORDS: Readonly<Record<string, string>> = {
  unchanged: 'unchanged',
  'first-sight': 'seen for the first time',
  drifted: 'drifted',
  'key-mismatch': 'refused: another SSH host key',
  busy: 'busy',
  unreachable: 'unreachable',
  'login-refused': 'login refused',
  failed: 'could not be read',
};

export function formatObservations(r: DriftWatchReport): string {
  const total = Object.values(r.counts).reduce((a, b) => a + (b ?? 0), 0);
  const counts = Object.entries(r.counts)
    .filter(([, n]) => n)
    .map(([outcome, n]) => `${n} ${OUTCOME_WORDS[outcome] ?? outcome}`)
    .join(', ');
  const lines = [`Observed ${total} host${total === 1 ? '' : 's'}: ${counts || 'none'} (workflow ${r.workflowId}).`];
  if (r.hosts.length > 0) {
    lines.push(table(['  HOST', 'FOUND', 'WHAT CHANGED, OR WHY NOT READ'], r.hosts.map((h) => [`  ${h.hostId}`, OUTCOME_WORDS[h.outcome] ?? h.outcome, h.differences?.length ? driftText(h.differences) : (h.detail ?? '-')])));
  }
  if (r.hosts.some((h) => h.outcome === 'drifted' || h.outcome === 'key-mismatch')) {
    lines.push('Drift is recorded in each host\'s history (`bankswitch host history <host>`); an upgrade or an operator action (`bankswitch host observe <host>` acknowledges it) clears it from `bankswitch hosts`.');
  }
  return lines.join('\n');
}

/** The standing in full: state, why, and what would settle a host that needs attention. */
function standingLines(s: HostStanding | null | undefined): string[] {
  if (!s) return [];
  return [`  standing  ${standingText(s)}${s.campaignId ? `, campaign ${s.campaignId}` : ''}${s.reason ? `: ${s.reason}` : ''}`, ...(s.settle ? [`  to settle ${s.settle}`] : [])];
}

export function formatHost(h: HostSummary): string {
  const lines = [`Host ${h.id} (${h.name})`, `  cluster   ${h.cluster}`, `  address   ${h.address} (driver ${h.driver})`];
  const labels = Object.entries(h.labels);
  if (labels.length) lines.push(`  labels    ${labels.map(([k, v]) => `${k}=${v}`).join(', ')}`);
  if (h.connection) {
    const c = h.connection;
    const login = c.keyFile ? `key file ${c.keyFile}` : c.passwordEnv ? `password from $${c.passwordEnv}` : `password from ${c.passwordFile ?? '?'}`;
    lines.push(`  ssh       ${c.user ?? 'root'}, ${login}, host key ${c.hostKey ?? '?'}${c.depotDir ? `, depots in ${c.depotDir}` : ''}`);
  }
  if (!h.banks) return [...lines, '  banks     not seen yet: the engine reads them at the host\'s first campaign'].join('\n');
  return [
    ...lines,
    `  booted    bank ${h.banks.bootedBank ?? '?'}, build ${h.banks.bootedBuild ?? '?'}`,
    ...h.banks.banks.map((b) => `  ${bankText(b)}`),
    `  rollback  ${h.banks.rollBackTo ? `possible, to bank ${h.banks.rollBackTo.bank} (${h.banks.rollBackTo.build})` : 'not possible'}`,
    ...standingLines(h.banks.standing),
    ...(h.banks.drift ? [`  drift     ${driftText(h.banks.drift)} (see \`bankswitch host history ${h.id}\`)`] : []),
    `  last campaign ${h.banks.lastCampaignId ?? '-'}, last change ${h.banks.lastEventAt}`,
  ].join('\n');
}

export function formatImport(r: ImportResult): string {
  return `Imported ${r.created.length + r.updated.length + r.unchanged.length} hosts: ${r.created.length} new, ${r.updated.length} updated, ${r.unchanged.length} unchanged.`;
}

export function formatPlanOutput(p: PlanOutput): string {
  return `${p.text}\nCampaign id: ${p.campaignId} (launch with \`bankswitch campaign launch <spec>\`)`;
}

const done = (p: CampaignProgress) => p.hosts.filter((h) => h.status !== 'pending' && h.status !== 'running').length;

/** One line: status, wave, done, in flight, failed against the budget. */
export function progressLine(p: CampaignProgress): string {
  const why = p.haltReason ?? p.pauseReason ?? p.cancelReason ?? p.waitingFor;
  const ramp = p.rampUp ? ` (ramp-up ×${p.rampUp.factor} up to ${p.rampUp.max}, ${p.rampUp.unassigned} hosts not yet in a wave)` : '';
  return `${p.status} · wave ${Math.min(p.wave, p.waves.length - 1)}/${p.waves.length - 1}${ramp} · done ${done(p)}/${p.hosts.length} · in flight ${p.inFlight} · failed ${p.failed} (budget ${p.failureBudget})${why ? ` · ${why}` : ''}`;
}

/** A host's status in a campaign, with why it ended there when that is not plain success. */
export const hostStatusText = (h: { status: string; cause?: string }): string => `${h.status}${causeNote(h.cause)}`;

export function formatCampaign(v: CampaignView): string {
  const lines = [`Campaign ${v.campaignId} → ${v.targetBuild}: ${v.status}`, `  workflow ${v.workflowId}${v.running ? ' (running)' : ''}, started ${v.startedAt}`];
  if (v.note) lines.push(`  note: ${v.note}`);
  const p = v.progress;
  lines.push(`  ${progressLine(p)}`);
  for (const w of p.waves) {
    const counts = Object.entries(w.counts).map(([status, n]) => `${n} ${status}`).join(', ');
    lines.push(`  wave ${w.index}${w.kind === 'canary' ? ' (canary)' : ''}: ${w.total} host${w.total === 1 ? '' : 's'}: ${counts}`);
  }
  lines.push(...barrierLines(p));
  lines.push(
    table(
      ['  HOST', 'WAVE', 'CLUSTER', 'STATUS', 'TRIES', 'REASON'],
      p.hosts.map((h) => [`  ${h.hostId}`, String(h.wave), h.cluster, hostStatusText(h), String(h.attempts), `${h.reason ?? ''}${h.settle ? ` — to settle: ${h.settle}` : ''}`]),
    ),
  );
  return lines.join('\n');
}

/** Commit barrier: each barrier some host reached, with how many verified or what it decided. */
function barrierLines(p: CampaignProgress): string[] {
  const barriers = p.commitBarrier?.barriers ?? [];
  return barriers
    .filter((b) => b.decision !== undefined || b.verified.length > 0)
    .map((b) => {
      const name = b.barrier === 'campaign' ? "the campaign's commit barrier" : `commit barrier of wave ${b.barrier.replace(/^wave-/, '')}`;
      if (b.decision) return `  ${name}: ${b.decision === 'commit' ? 'committed' : 'rolled back'} (${b.reason ?? ''})`;
      return `  ${name}: waiting at the commit barrier (${b.verified.length} of ${b.inPlay} verified): ${b.verified.join(', ')}`;
    });
}

export function formatCampaigns(vs: readonly CampaignView[]): string {
  if (vs.length === 0) return 'No campaigns yet. Plan one with `bankswitch campaign plan <spec>`.';
  const rows = table(
    ['CAMPAIGN', 'STATUS', 'TARGET', 'DONE', 'FAILED', 'STARTED'],
    vs.map((v) => [v.campaignId, v.status, v.targetBuild, `${done(v.progress)}/${v.progress.hosts.length}`, String(v.progress.failed), v.startedAt]),
  );
  // A note that applies to several campaigns (Temporal did not answer) is said once.
  const notes = [...new Set(vs.flatMap((v) => (v.note ? [v.note] : [])))];
  const noted = (note: string) => vs.filter((v) => v.note === note).map((v) => v.campaignId);
  return [rows, ...notes.map((note) => (noted(note).length === vs.length ? `note: ${note}` : `note (${noted(note).join(', ')}): ${note}`))].join('\n');
}

export function formatRetry(r: RetryResult): string {
  return r.mode === 'update'
    ? `Requeued ${r.hostIds.length ? r.hostIds.join(', ') : 'every failed host'} in running campaign ${r.campaignId}.`
    : `Started a retry run of campaign ${r.campaignId} (run ${r.runId})${r.hostIds.length ? ` for ${r.hostIds.join(', ')}` : ''}${r.recorded?.length ? `; it first records how ${r.recorded.join(', ')} ended while its workflow was gone` : ''}. Follow it with \`bankswitch campaign watch ${r.campaignId}\`.`;
}

const banksLine = (b: BanksAt) =>
  `booted bank ${b.bootedBank ?? '?'} (${b.bootedBuild ?? '?'}); ${b.banks.map(bankText).join('; ')}; rollback ${b.rollBackTo ? `to ${b.rollBackTo.build}` : 'not possible'}`;

export function formatHistory(hostId: string, entries: readonly HistoryEntry[]): string {
  if (entries.length === 0) return `No bank history for ${hostId} yet: the engine records it from the host's first campaign.`;
  const lines = [`Bank history of ${hostId} (${entries.length} events)`];
  for (const e of entries) {
    lines.push(`${e.at}  #${e.version} ${e.type}: ${e.summary}`);
    lines.push(`    after: ${banksLine(e.after)}`);
    lines.push(`    by: operator ${e.operator ?? '-'}, campaign ${e.campaignId ?? '-'}, workflow ${e.workflowId ?? '-'}, activity ${e.activity ?? '-'}`);
  }
  return lines.join('\n');
}

export function formatHostAt(s: HostStateView): string {
  if (s.streamVersion === 0) return `${s.hostId} at ${s.at}: no bank history yet (the engine had not seen the host).`;
  return [
    `${s.hostId} at ${s.at} (after event #${s.streamVersion}):`,
    `  booted bank ${s.bootedBank ?? '?'}, build ${s.bootedBuild ?? '?'}`,
    ...s.banks.map((b) => `  ${bankText(b)}`),
    `  rollback ${s.canRollBack && s.rollBackTo ? `possible, to bank ${s.rollBackTo.bank} (${s.rollBackTo.build})` : `not possible: ${s.rollBackReason}`}`,
    ...standingLines(s.standing),
  ].join('\n');
}

export function formatHostAction(r: HostActionOutcome): string {
  return r.message;
}

export function formatTokens(tokens: readonly TokenView[]): string {
  if (tokens.length === 0) return 'No tokens yet. Create one with `bankswitch tokens create --name <who> --role operator|auditor`.';
  return table(
    ['NAME', 'ROLE', 'CREATED BY', 'CREATED', 'LAST USED', 'REVOKED'],
    tokens.map((t) => [t.name, t.role, t.createdBy, t.createdAt, t.lastUsedAt ?? '-', t.revokedAt ? `${t.revokedAt} by ${t.revokedBy ?? '?'}` : '-']),
  );
}
