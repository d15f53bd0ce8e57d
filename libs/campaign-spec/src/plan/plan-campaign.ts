import { isDowngrade } from '@bankswitch/banks';
import type { SpecError } from '../spec/errors';
import { resolveQuantity } from '../spec/quantity';
import type { CampaignSpec } from '../spec/types';
import { assignWaves } from './assign-waves';
import { checkHostBanks } from './bank-check';
import { barrierLimitProblems } from './commit-barrier';
import { resolveHostRef } from './host-refs';
import { checkInventory } from './inventory-check';
import { selectHosts } from './select-hosts';
import { upcomingWindows } from '../spec/windows';
import type { CampaignPlan, HostBanks, HostBankState, InventoryHost, PlanWarning } from './types';

export type PlanResult = { readonly ok: true; readonly plan: CampaignPlan } | { readonly ok: false; readonly errors: readonly SpecError[] };

const bankOf = (banks: HostBanks, id: string): HostBankState | undefined =>
  banks instanceof Map ? banks.get(id) : (banks as Readonly<Record<string, HostBankState>>)[id];

function waivedIds(spec: CampaignSpec, inventory: readonly InventoryHost[], errors: SpecError[]): Set<string> {
  const ids = new Set<string>();
  spec.verification.waiveRollbackImage.forEach((ref, index) => {
    const resolved = resolveHostRef(ref, inventory);
    if ('problem' in resolved) errors.push({ path: `verification.waiveRollbackImage[${index}]`, message: resolved.problem });
    else ids.add(resolved.host.id);
  });
  return ids;
}

/**
 * Which hosts, in which waves, with what risk. Pure and deterministic: the same spec,
 * inventory, bank states and `now` give the same plan. Every problem is reported at once.
 * `now` (ms since the epoch) is when the next maintenance windows are counted from.
 */
export function planCampaign(spec: CampaignSpec, inventory: readonly InventoryHost[], hostBanks?: HostBanks, now?: number): PlanResult {
  const errors = checkInventory(inventory);
  const waived = waivedIds(spec, inventory, errors);
  const selection = selectHosts(spec.hosts, inventory);
  if (!selection.ok) errors.push(...selection.errors);
  if (!selection.ok || errors.length > 0) return { ok: false, errors };

  const warnings: PlanWarning[] = [];
  const skipped: string[] = [];
  const toUpgrade: InventoryHost[] = [];
  const downgraded: { host: InventoryHost; from: string }[] = [];
  if (!hostBanks) warnings.push({ kind: 'bank-state-unknown', message: 'no bank states given: rollback-image losses were not checked' });
  for (const host of selection.hosts) {
    const banks = hostBanks && bankOf(hostBanks, host.id);
    if (hostBanks && !banks) {
      warnings.push({ kind: 'bank-state-unknown', hostId: host.id, message: `${host.name}: no bank history in the event store; cannot tell whether staging loses a rollback image` });
    }
    const verdict = banks ? checkHostBanks(host, banks, spec.target.build) : { kind: 'upgrade' as const, needsWaiver: false };
    if (verdict.kind === 'skip') {
      skipped.push(host.id);
      warnings.push(verdict.warning);
      continue;
    }
    toUpgrade.push(host);
    if (banks && isDowngrade(banks.bootedBuild, spec.target.build)) downgraded.push({ host, from: banks.bootedBuild });
    if (!verdict.warning) continue;
    const mustWaive = verdict.needsWaiver && spec.verification.requireRollbackImage && !waived.has(host.id);
    if (mustWaive) errors.push({ path: 'hosts', message: `${verdict.warning.message}; or waive it: verification.waiveRollbackImage: [${host.name}]` });
    else warnings.push(verdict.needsWaiver ? { ...verdict.warning, message: `${verdict.warning.message} (waived)` } : verdict.warning);
  }

  errors.push(...downgradeProblems(spec, downgraded, warnings));
  if (toUpgrade.length === 0) {
    warnings.push({ kind: 'nothing-to-upgrade', message: `all ${selection.hosts.length} selected hosts already boot ${spec.target.build}` });
  }
  const waves = toUpgrade.length === 0 ? { ok: true as const, waves: [], warnings: [] } : assignWaves(toUpgrade, spec.strategy);
  if (!waves.ok) errors.push(...waves.errors);
  else errors.push(...barrierLimitProblems(spec, waves.waves, inventory));
  if (!waves.ok || errors.length > 0) return { ok: false, errors };

  return {
    ok: true,
    plan: {
      campaign: spec.name,
      target: spec.target,
      hosts: selection.hosts,
      skipped,
      waves: waves.waves,
      failureBudget: resolveQuantity(spec.strategy.failureBudget, toUpgrade.length, 'down'),
      rampUp: spec.strategy.rampUp,
      windows: spec.windows,
      nextWindows:
        now === undefined || spec.windows.length === 0
          ? []
          : upcomingWindows(spec.windows, now, 3).map((w) => ({ opensAt: new Date(w.opensAt).toISOString(), closesAt: new Date(w.closesAt).toISOString() })),
      gates: spec.gates,
      approvals: spec.approvals,
      commit: { scope: spec.commit, timeoutMs: spec.strategy.timeouts.barrierMs },
      warnings: [...warnings, ...waves.warnings],
    },
  };
}

/**
 * Downgrade protection: hosts that run a newer build than the target are refused (one
 * error at target.build naming them) unless the spec allows the downgrade, which each
 * such host then shows as a warning with the reason.
 */
function downgradeProblems(spec: CampaignSpec, downgraded: readonly { host: InventoryHost; from: string }[], warnings: PlanWarning[]): SpecError[] {
  if (downgraded.length === 0) return [];
  const target = spec.target.build;
  const allowed = spec.target.allowDowngrade;
  if (allowed) {
    for (const { host, from } of downgraded) {
      warnings.push({ kind: 'downgrade', hostId: host.id, message: `${host.name}: downgrade from ${from} to ${target}, allowed: ${allowed.reason}` });
    }
    return [];
  }
  const shown = downgraded.slice(0, 10).map(({ host, from }) => `${host.name} (${from})`).join(', ');
  const more = downgraded.length > 10 ? ` and ${downgraded.length - 10} more` : '';
  const hosts = downgraded.length === 1 ? '1 selected host runs' : `${downgraded.length} selected hosts run`;
  return [
    {
      path: 'target.build',
      message: `${target} is older than the build ${hosts}: ${shown}${more}; a downgrade is refused unless the spec allows it: target.allowDowngrade: { reason: "…" }`,
    },
  ];
}
