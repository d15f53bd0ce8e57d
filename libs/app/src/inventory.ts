// The inventory: hosts imported from an inventory file (tools/src/fleet writes one),
// upserted into the hosts table, and shown with their banks from the host_banks projection.
import type { PrismaClient } from '@bankswitch/event-store';
import type { DriftDifference } from '@bankswitch/banks';
import type { HostBanksRow, Records } from '@bankswitch/records';
import { InvalidInputError, NotFoundError } from './errors';
import type { BanksSummary } from './host-history';
import { inventoryHostsSchema, INVENTORY_LIMITS, inventorySchema, type InventoryEntry } from './inventory-schema';
import { listProblems } from './problems';

export type { InventoryEntry };

export interface HostSummary {
  readonly id: string;
  readonly name: string;
  readonly address: string;
  readonly cluster: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly driver: string;
  /** esxi-ssh: the user, the pinned host key and where the credentials are (references, never secrets). */
  readonly connection?: Readonly<Record<string, string>>;
  /** null until the engine has seen the host (its first campaign). */
  readonly banks: HostBanksView | null;
}

export interface HostBanksView extends BanksSummary {
  readonly lastCampaignId: string | null;
  readonly lastEventAt: string;
  /** What the drift watch (or any look) last found changed out of band, until an upgrade or an operator's action; null: nothing. */
  readonly drift: readonly DriftDifference[] | null;
}

export interface ImportResult {
  readonly created: readonly string[];
  readonly updated: readonly string[];
  readonly unchanged: readonly string[];
}

/** Every problem of an inventory document at once, each with its path (`[3].address`). */
export function parseInventory(input: unknown): InventoryEntry[] {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (error) {
      throw new InvalidInputError(`the inventory is not valid JSON: ${(error as Error).message}; expected a JSON array of hosts ({ id, name, address, cluster, labels?, driver? })`);
    }
  }
  // Counted before any host is checked: a file too large to import is not worth 50,000 problems.
  const listed = Array.isArray(value) ? value : (value as { hosts?: unknown } | null)?.hosts;
  if (Array.isArray(listed) && listed.length > INVENTORY_LIMITS.hosts) {
    const limit = INVENTORY_LIMITS.hosts.toLocaleString('en-US');
    throw new InvalidInputError(`the inventory lists ${listed.length.toLocaleString('en-US')} hosts; at most ${limit} are imported at once: split it into files of ${limit} hosts or fewer and import each`);
  }
  const parsed = inventorySchema.safeParse(value);
  if (!parsed.success) {
    // The union hides the array branch's issues behind one; report the array's.
    const arrayIssues = Array.isArray(value) ? inventoryHostsSchema.safeParse(value).error?.issues : undefined;
    const issues = arrayIssues ?? parsed.error.issues;
    const details = issues.map((issue) => ({ path: issue.path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('').replace(/^\./, ''), message: issue.message }));
    throw new InvalidInputError(`the inventory has ${details.length.toLocaleString('en-US')} problem${details.length === 1 ? '' : 's'}; fix ${details.length === 1 ? 'it' : 'them'} and import again`, details);
  }
  const hosts = parsed.data;
  const details: { path: string; message: string }[] = [];
  for (const key of ['id', 'name'] as const) {
    const seen = new Map<string, number>();
    hosts.forEach((host, index) => {
      const first = seen.get(host[key]);
      if (first !== undefined) details.push({ path: `[${index}].${key}`, message: `duplicate ${key} "${host[key]}" (also at [${first}])` });
      else seen.set(host[key], index);
    });
  }
  if (details.length > 0) throw new InvalidInputError(`the inventory names a host twice; each id and name must be unique`, details);
  return hosts;
}

/** An import of thousands of hosts is one transaction: room beyond Prisma's 5 s default, and a turn to wait for a connection. */
const IMPORT_TRANSACTION = { timeout: 60_000, maxWait: 10_000 };

export async function importHosts(prisma: PrismaClient, input: unknown): Promise<ImportResult> {
  const hosts = parseInventory(input);
  const result = { created: [] as string[], updated: [] as string[], unchanged: [] as string[] };
  await prisma.$transaction(async (tx) => {
    const existing = new Map((await tx.host.findMany({ where: { OR: [{ id: { in: hosts.map((h) => h.id) } }, { name: { in: hosts.map((h) => h.name) } }] } })).map((h) => [h.id, h]));
    const byName = new Map([...existing.values()].map((h) => [h.name, h.id]));
    const clashes = hosts.filter((h) => byName.has(h.name) && byName.get(h.name) !== h.id);
    if (clashes.length > 0) {
      throw new InvalidInputError(
        `host names already used by other host ids: ${listProblems(clashes, (shown) => shown.map((h) => `${h.name} (is ${byName.get(h.name)}, file says ${h.id})`).join(', '))}; a host keeps its id, so fix the file's ids`,
      );
    }
    const created: InventoryEntry[] = [];
    for (const host of hosts) {
      const before = existing.get(host.id);
      const data = hostRow(host);
      if (!before) {
        created.push(host);
        result.created.push(host.id);
      } else if (
        before.name === data.name &&
        before.address === data.address &&
        before.cluster === data.cluster &&
        before.driver === data.driver &&
        sameEntries(before.labels, data.labels) &&
        sameEntries(before.connection, data.connection)
      ) {
        result.unchanged.push(host.id);
      } else {
        await tx.host.update({ where: { id: host.id }, data });
        result.updated.push(host.id);
      }
    }
    // New hosts in one statement: created one by one, 2,000 hosts outlasted the transaction's time on a busy machine.
    if (created.length > 0) {
      await tx.host.createMany({
        data: created.map((h) => ({ id: h.id, ...hostRow(h) })),
      });
    }
  }, IMPORT_TRANSACTION);
  return result;
}

/** A host's row as the inventory file gives it (its id apart). */
function hostRow(host: InventoryEntry) {
  return { name: host.name, address: host.address, cluster: host.cluster, labels: host.labels, driver: host.driver, connection: host.connection ?? {} };
}

/** jsonb does not keep key order: compare flat objects (labels, a connection) as sorted entries. */
function sameEntries(stored: unknown, value: object): boolean {
  const sorted = (v: object) => JSON.stringify(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)));
  return typeof stored === 'object' && stored !== null && sorted(stored) === sorted(value);
}

export function banksView(row: HostBanksRow | undefined): HostBanksView | null {
  if (!row) return null;
  const banks = [
    { bank: 0, build: row.bank0Build, state: row.bank0State },
    { bank: 1, build: row.bank1Build, state: row.bank1State },
  ];
  return {
    bootedBank: row.bootedBank,
    bootedBuild: row.bootedBank === null ? null : (banks[row.bootedBank]?.build ?? null),
    banks,
    canRollBack: row.canRollBack,
    rollBackTo: row.canRollBack && row.rollbackBank !== null && row.rollbackBuild !== null ? { bank: row.rollbackBank, build: row.rollbackBuild } : null,
    standing: row.state.standing,
    lastCampaignId: row.lastCampaignId,
    lastEventAt: row.lastEventAt.toISOString(),
    drift: row.state.drift?.length ? row.state.drift : null,
  };
}

type HostRow = Awaited<ReturnType<PrismaClient['host']['findMany']>>[number];

function summary(host: HostRow, row: HostBanksRow | undefined): HostSummary {
  return {
    id: host.id,
    name: host.name,
    address: host.address,
    cluster: host.cluster,
    labels: (host.labels ?? {}) as Record<string, string>,
    driver: host.driver,
    ...(host.driver === 'esxi-ssh' ? { connection: (host.connection ?? {}) as Record<string, string> } : {}),
    banks: banksView(row),
  };
}

export interface HostFilter {
  readonly cluster?: string;
  /** Only hosts with drift found since Bankswitch last acted on them. */
  readonly drifted?: boolean;
}

export async function listHosts(prisma: PrismaClient, records: Records, filter: HostFilter = {}): Promise<HostSummary[]> {
  await records.store.projections.catchUp();
  const hosts = await prisma.host.findMany({ where: filter.cluster ? { cluster: filter.cluster } : {}, orderBy: [{ cluster: 'asc' }, { name: 'asc' }] });
  const rows = new Map((await records.listHostBanks()).map((r) => [r.hostId, r]));
  const summaries = hosts.map((host) => summary(host, rows.get(host.id)));
  return filter.drifted ? summaries.filter((h) => h.banks?.drift) : summaries;
}

/** A host by id or name. */
export async function findHost(prisma: PrismaClient, ref: string): Promise<HostRow> {
  const host = (await prisma.host.findUnique({ where: { id: ref } })) ?? (await prisma.host.findUnique({ where: { name: ref } }));
  if (!host) throw new NotFoundError(`no host "${ref}" in the inventory: check \`bankswitch hosts list\`, or import it with \`bankswitch hosts import <inventory.json>\``);
  return host;
}

export async function showHost(prisma: PrismaClient, records: Records, ref: string): Promise<HostSummary> {
  const host = await findHost(prisma, ref);
  await records.store.projections.catchUp();
  return summary(host, await records.hostBanks(host.id));
}
