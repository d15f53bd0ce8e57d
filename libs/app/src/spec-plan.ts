// Spec text → validated spec → plan against the inventory and the banks the event store
// knows. Every spec error is reported at once, with its path (formatSpecErrors).
import { formatPlan, formatSpecErrors, parseCampaignSpec, planCampaign, type CampaignPlan, type CampaignSpec, type HostBankState, type InventoryHost, type SpecFormat } from '@bankswitch/campaign-spec';
import type { PrismaClient } from '@bankswitch/event-store';
import type { HostBanksRow, Records } from '@bankswitch/records';
import { InvalidInputError } from './errors';
import { listProblems } from './problems';

export interface PlanOutput {
  readonly campaignId: string;
  readonly spec: CampaignSpec;
  readonly plan: CampaignPlan;
  /** The plan as an operator reads it (formatPlan). */
  readonly text: string;
}

export function hostBankState(row: HostBanksRow): HostBankState | undefined {
  if (row.bootedBank === null) return undefined;
  const booted = row.bootedBank === 0 ? { build: row.bank0Build, state: row.bank0State } : { build: row.bank1Build, state: row.bank1State };
  const other = row.bootedBank === 0 ? { build: row.bank1Build, state: row.bank1State } : { build: row.bank0Build, state: row.bank0State };
  if (booted.build === null) return undefined;
  return { bootedBuild: booted.build, bootedBankCommitted: booted.state === 'VALID', alternateBuild: other.build, alternateValid: other.state === 'VALID' && other.build !== null };
}

export async function inventoryHosts(prisma: PrismaClient): Promise<InventoryHost[]> {
  const hosts = await prisma.host.findMany({ orderBy: [{ cluster: 'asc' }, { name: 'asc' }] });
  return hosts.map((h) => ({ id: h.id, name: h.name, cluster: h.cluster, labels: (h.labels ?? {}) as Record<string, string>, address: h.address, driver: h.driver }));
}

export async function planSpec(prisma: PrismaClient, records: Records, specText: string, format?: SpecFormat): Promise<PlanOutput> {
  const parsed = parseCampaignSpec(specText, format);
  if (!parsed.ok) {
    throw new InvalidInputError(`the campaign spec has ${parsed.errors.length.toLocaleString('en-US')} problem${parsed.errors.length === 1 ? '' : 's'}:\n${listProblems(parsed.errors, formatSpecErrors)}`, parsed.errors);
  }
  const inventory = await inventoryHosts(prisma);
  if (inventory.length === 0) throw new InvalidInputError('the inventory is empty: import hosts first with `bankswitch hosts import <inventory.json>`');
  await records.store.projections.catchUp();
  const banks = new Map<string, HostBankState>();
  for (const row of await records.listHostBanks()) {
    const state = hostBankState(row);
    if (state) banks.set(row.hostId, state);
  }
  // With no bank history at all, one warning says so instead of one per host.
  const planned = planCampaign(parsed.spec, inventory, banks.size > 0 ? banks : undefined, Date.now());
  if (!planned.ok) {
    throw new InvalidInputError(`the campaign cannot be planned against the inventory (${planned.errors.length.toLocaleString('en-US')} problem${planned.errors.length === 1 ? '' : 's'}):\n${listProblems(planned.errors, formatSpecErrors)}`, planned.errors);
  }
  return { campaignId: parsed.spec.name, spec: parsed.spec, plan: planned.plan, text: formatPlan(planned.plan) };
}
