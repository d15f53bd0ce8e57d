import { formatDuration } from '../spec/duration';
import { plannedBarriers } from './commit-barrier';
import type { CampaignPlan, InventoryHost, PlannedWave } from './types';

const plural = (n: number) => `${n} host${n === 1 ? '' : 's'}`;

function waveLines(wave: PlannedWave, byId: ReadonlyMap<string, InventoryHost>, ramp: boolean): string[] {
  const title =
    wave.kind === 'canary'
      ? `Wave 0 (canary, ${plural(wave.hostIds.length)})`
      : `Wave ${wave.index} (${plural(wave.hostIds.length)}${ramp ? ', if no wave before it fails' : ''})`;
  const clusters = new Map<string, string[]>();
  for (const id of wave.hostIds) {
    const host = byId.get(id);
    const cluster = host?.cluster ?? '?';
    clusters.set(cluster, [...(clusters.get(cluster) ?? []), host?.name ?? id]);
  }
  return [title, ...[...clusters].map(([cluster, names]) => `  ${cluster}: ${names.join(', ')}`)];
}

/** A plan an operator can read before approving it. */
export function formatPlan(plan: CampaignPlan): string {
  const byId = new Map(plan.hosts.map((host) => [host.id, host]));
  const upgrading = plan.hosts.length - plan.skipped.length;
  const lines = [
    `Campaign ${plan.campaign} → ${plan.target.build}`,
    `${plural(plan.hosts.length)} selected: ${upgrading} to upgrade, ${plan.skipped.length} skipped.`,
    `Failure budget: ${plural(plan.failureBudget)} (the campaign halts when more fail).`,
    ...policyLines(plan),
    ...plan.waves.flatMap((wave) => waveLines(wave, byId, plan.rampUp !== null && wave.index > 1)),
  ];
  if (plan.warnings.length > 0) {
    lines.push(`Warnings (${plan.warnings.length}):`, ...plan.warnings.map((warning) => `  - ${warning.message}`));
  }
  return lines.join('\n');
}

/** The campaign's policies, for the specs that use them. */
function policyLines(plan: CampaignPlan): string[] {
  const lines: string[] = [];
  const { signature, allowDowngrade } = plan.target;
  if (signature) lines.push(`Image signature: ${signature.slice(0, 12)}…, checked against the worker's trusted keys before anything is staged (a bad one refuses the host, untouched).`);
  if (allowDowngrade) lines.push(`Downgrade allowed: ${allowDowngrade.reason} (recorded with each staged image).`);
  const ramp = plan.rampUp;
  if (ramp) {
    lines.push(
      `Ramp-up: waves grow from ${plural(ramp.start)} by ×${ramp.factor} while the last wave had no failure, up to ${plural(ramp.max)}; ` +
        `after a wave with a failure the next drops back to ${plural(ramp.start)}. The waves below assume no failure.`,
    );
  }
  for (const w of plan.windows) lines.push(`Window: opens at "${w.cron}" (${w.timezone}) for ${formatDuration(w.durationMs)}; hosts start only inside a window, hosts in flight when it closes finish.`);
  if (plan.nextWindows.length > 0) lines.push(`Next windows: ${plan.nextWindows.map((w) => `${w.opensAt} – ${w.closesAt}`).join(', ')}`);
  for (const g of plan.gates) {
    lines.push(
      `Gate ${g.name}: ${g.prometheus.query} at ${g.prometheus.url} must be ${g.expect.op} ${g.expect.value} for ${formatDuration(g.forMs)} after the canary and after each wave before the next starts; ` +
        `else the campaign ${g.onFail === 'halt' ? 'halts' : 'pauses until an operator resumes'}.`,
    );
  }
  lines.push(...approvalLines(plan));
  lines.push(...barrierLines(plan));
  return lines;
}

/** The commit barrier: the rule, then the hosts behind each barrier, which commit or are rolled back together. */
function barrierLines(plan: CampaignPlan): string[] {
  const { scope, timeoutMs } = plan.commit;
  const barriers = plannedBarriers(scope, plan.waves);
  if (barriers.length === 0) return [];
  const byId = new Map(plan.hosts.map((host) => [host.id, host.name]));
  const whose = scope === 'wave' ? "each wave's hosts" : "the campaign's hosts";
  const lines = [
    `Commit barrier (commit: ${scope}): ${whose} verify, then wait with the new image booted but not committed; once all of them verified they commit together. ` +
      `If one of them fails, or ${formatDuration(timeoutMs)} after the first verified not all have, every one of them rolls back to its previous image. ` +
      `Behind each barrier, the hosts committed or rolled back together${plan.rampUp ? ' (assuming no failure)' : ''}:`,
  ];
  for (const b of barriers) {
    const wave = plan.waves.find((w) => `wave-${w.index}` === b.barrier);
    const where = b.barrier === 'campaign' ? 'the campaign' : `wave ${wave?.index ?? '?'}${wave?.kind === 'canary' ? ' (canary' : ' ('}`;
    const count = b.barrier === 'campaign' ? ` (${plural(b.hostIds.length)})` : `${wave?.kind === 'canary' ? ', ' : ''}${plural(b.hostIds.length)})`;
    const names = b.hostIds.slice(0, 10).map((id) => byId.get(id) ?? id).join(', ') + (b.hostIds.length > 10 ? `, … (${b.hostIds.length - 10} more)` : '');
    lines.push(`  ${where}${count}: ${names}`);
  }
  return lines;
}

const POINT_WORDS = { beforeStage: 'before the stage', beforeReboot: 'before the reboot', beforeCommit: 'before the commit' } as const;

/** Approvals: which hosts wait where, each named (a host waits in flight until an operator approves it). */
function approvalLines(plan: CampaignPlan): string[] {
  const canary = plan.waves.find((w) => w.kind === 'canary')?.hostIds ?? [];
  const all = plan.waves.flatMap((w) => w.hostIds);
  const byId = new Map(plan.hosts.map((host) => [host.id, host.name]));
  const lines: string[] = [];
  for (const key of ['beforeStage', 'beforeReboot', 'beforeCommit'] as const) {
    const scope = plan.approvals[key];
    if (scope === 'none') continue;
    const hosts = scope === 'canary' ? canary : all;
    const who = scope === 'canary' ? `the canary wave's ${plural(hosts.length)}` : `all ${plural(hosts.length)}`;
    const names = hosts.length === 0 ? '' : `: ${hosts.slice(0, 10).map((id) => byId.get(id) ?? id).join(', ')}${hosts.length > 10 ? `, … (${hosts.length - 10} more)` : ''}`;
    lines.push(`Approval ${POINT_WORDS[key]}: ${who} wait${hosts.length === 1 ? 's' : ''} for an operator (in flight, without a time limit)${names}.`);
  }
  return lines;
}
