import type { CampaignPlan, InventoryHost, PlannedWave } from './types';

const plural = (n: number) => `${n} host${n === 1 ? '' : 's'}`;

function waveLines(wave: PlannedWave, byId: ReadonlyMap<string, InventoryHost>): string[] {
  const title = wave.kind === 'canary' ? `Wave 0 (canary, ${plural(wave.hostIds.length)})` : `Wave ${wave.index} (${plural(wave.hostIds.length)})`;
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
    ...plan.waves.flatMap((wave) => waveLines(wave, byId)),
  ];
  if (plan.warnings.length > 0) {
    lines.push(`Warnings (${plan.warnings.length}):`, ...plan.warnings.map((warning) => `  - ${warning.message}`));
  }
  return lines.join('\n');
}
