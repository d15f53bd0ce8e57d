import type { SpecError } from '../spec/errors';
import { resolveQuantity } from '../spec/quantity';
import type { CampaignSpec } from '../spec/types';
import { assignWaves } from './assign-waves';
import { checkHostBanks } from './bank-check';
import { resolveHostRef } from './host-refs';
import { checkInventory } from './inventory-check';
import { selectHosts } from './select-hosts';
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
 * inventory and bank states give the same plan. Every problem is reported at once.
 */
export function planCampaign(spec: CampaignSpec, inventory: readonly InventoryHost[], hostBanks?: HostBanks): PlanResult {
  const errors = checkInventory(inventory);
  const waived = waivedIds(spec, inventory, errors);
  const selection = selectHosts(spec.hosts, inventory);
  if (!selection.ok) errors.push(...selection.errors);
  if (!selection.ok || errors.length > 0) return { ok: false, errors };

  const warnings: PlanWarning[] = [];
  const skipped: string[] = [];
  const toUpgrade: InventoryHost[] = [];
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
    if (!verdict.warning) continue;
    const mustWaive = verdict.needsWaiver && spec.verification.requireRollbackImage && !waived.has(host.id);
    if (mustWaive) errors.push({ path: 'hosts', message: `${verdict.warning.message}; or waive it: verification.waiveRollbackImage: [${host.name}]` });
    else warnings.push(verdict.needsWaiver ? { ...verdict.warning, message: `${verdict.warning.message} (waived)` } : verdict.warning);
  }

  if (toUpgrade.length === 0) {
    warnings.push({ kind: 'nothing-to-upgrade', message: `all ${selection.hosts.length} selected hosts already boot ${spec.target.build}` });
  }
  const waves = toUpgrade.length === 0 ? { ok: true as const, waves: [], warnings: [] } : assignWaves(toUpgrade, spec.strategy);
  if (!waves.ok) errors.push(...waves.errors);
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
      warnings: [...warnings, ...waves.warnings],
    },
  };
}
