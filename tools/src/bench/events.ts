// `npm run bench:events`: appends per second through the event store against plain `pg`
// inserts of the same rows into an equivalent plain table, in one run on one database
// (the local stack's embedded PostgreSQL, or DATABASE_URL). Prints a table and, last,
// `worst ratio: <x>` (the lowest store/raw ratio over the cases). Not a test: figures
// depend on the machine; compare only figures from one run.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { appendStatement, createPrismaClient } from '@bankswitch/event-store';
import { bankswitchCatalog, createBankswitchStore, hostStream, type BankswitchEvent } from '@bankswitch/records';
import { startPostgres } from '../local-stack/postgres';
import { migrateDeploy } from '../prisma/prisma-cli';
import { createRawTable, rawAppend, type RawStream } from './events-raw';

interface Case {
  readonly name: string;
  readonly writers: number;
  readonly batch: number;
  /** Appends per writer. */
  readonly appends: number;
}

const cases: readonly Case[] = [
  { name: 'single event, 1 writer', writers: 1, batch: 1, appends: 600 },
  { name: 'single event, 8 writers', writers: 8, batch: 1, appends: 250 },
  { name: 'batch of 10, 1 writer', writers: 1, batch: 10, appends: 300 },
  { name: 'batch of 10, 8 writers', writers: 8, batch: 10, appends: 100 },
  { name: 'batch of 100, 4 writers', writers: 4, batch: 100, appends: 20 },
];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/** A realistic bank event (~300 bytes of JSON with metadata). */
const staged = (i: number): BankswitchEvent => ({
  type: 'ImageStaged',
  data: { bank: 1, build: `8.0.3-${i}`, sha256: 'ab'.repeat(32), updated: i + 1, replacedBuild: '8.0.2', rollbackImageLost: false },
});
const metadata = { campaignId: 'bench', workflowId: 'wf-bench', runId: 'run-1', activity: 'stageImage', operator: 'bench' };

// A data folder per run: two runs at once must not share (startPostgres wipes it first).
const postgres = await startPostgres({ name: `bench-events-${process.pid}` });
const pools: pg.Pool[] = [];
const prismas: ReturnType<typeof createPrismaClient>[] = [];
let admin: pg.Pool | undefined;
try {
  await migrateDeploy(postgres.databaseUrl);
  admin = newPool(2);
  await createRawTable(admin);

  const results: { name: string; store: number; sql: number; raw: number }[] = [];
  for (const c of cases) {
    const prisma = createPrismaClient(postgres.databaseUrl, { maxConnections: c.writers });
    prismas.push(prisma);
    const store = createBankswitchStore(prisma);
    const pool = newPool(c.writers);
    // Warm both paths (connections, plans) before measuring.
    await runStore(store, { ...c, appends: 20 });
    await runRaw(pool, { ...c, appends: 20 });
    await runStoreSql(pool, { ...c, appends: 20 });
    // Best of ROUNDS, the three paths interleaved so that load from elsewhere hits them alike.
    let best = { store: 0, sql: 0, raw: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      best = {
        store: Math.max(best.store, await runStore(store, c)),
        sql: Math.max(best.sql, await runStoreSql(pool, c)),
        raw: Math.max(best.raw, await runRaw(pool, c)),
      };
    }
    results.push({ name: c.name, ...best });
    console.error(`  ${c.name}: store ${best.store.toFixed(0)} ev/s, its SQL via pg ${best.sql.toFixed(0)} ev/s, raw ${best.raw.toFixed(0)} ev/s`);
  }

  const rows = results.map((r) => [
    r.name,
    r.store.toFixed(0),
    r.sql.toFixed(0),
    r.raw.toFixed(0),
    (r.sql / r.raw).toFixed(2),
    (r.store / r.raw).toFixed(2),
  ]);
  // "append SQL via pg" runs the store's own append statement through plain pg: the
  // difference to "store" is what the Prisma client costs, the difference to "raw" what
  // the statement (head read, version check, idempotency, chain digest) costs.
  printTable(['case', 'store ev/s', 'append SQL via pg ev/s', 'raw pg ev/s', 'SQL/raw', 'store/raw'], rows);
  const worst = Math.min(...results.map((r) => r.store / r.raw));
  console.log(`worst ratio: ${worst.toFixed(2)}`);
} finally {
  for (const prisma of prismas) await prisma.$disconnect().catch(() => {});
  for (const pool of pools) if (pool !== admin) await pool.end().catch(() => {});
  // pool.end() resolves before every socket has closed; stopping the server under an open
  // connection makes its pool report "terminating connection". Wait until they are gone.
  if (admin && postgres.started) await waitForOtherConnectionsToClose(admin);
  await admin?.end().catch(() => {});
  await postgres.stop();
}

async function waitForOtherConnectionsToClose(pool: pg.Pool): Promise<void> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const { rows } = await pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()",
    );
    if (rows[0]?.n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function newPool(max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: postgres.databaseUrl, max });
  pool.on('error', (error) => console.error(`bench pool: ${error.message}`));
  pools.push(pool);
  return pool;
}

/** Events per second through appendToStream; each writer appends to its own host stream. */
async function runStore(store: ReturnType<typeof createBankswitchStore>, c: Case): Promise<number> {
  const started = performance.now();
  await Promise.all(
    Array.from({ length: c.writers }, async () => {
      const stream = hostStream(`bench-${randomUUID()}`);
      for (let a = 0; a < c.appends; a++) {
        const events = Array.from({ length: c.batch }, (_, i) => staged(a * c.batch + i));
        await store.appendToStream(stream, events, { expectedVersion: a * c.batch, metadata });
      }
    }),
  );
  return (c.writers * c.appends * c.batch) / ((performance.now() - started) / 1000);
}

/** Diagnostic: the store's append statement sent through plain pg (same validation, no Prisma client). */
async function runStoreSql(pool: pg.Pool, c: Case): Promise<number> {
  const started = performance.now();
  await Promise.all(
    Array.from({ length: c.writers }, async () => {
      const stream = hostStream(`bench-${randomUUID()}`);
      for (let a = 0; a < c.appends; a++) {
        const events = Array.from({ length: c.batch }, (_, i) => staged(a * c.batch + i));
        const payload = JSON.stringify(events.map((e) => ({ ...bankswitchCatalog.encode(stream, e), metadata })));
        const statement = appendStatement(stream, a * c.batch, payload, null);
        await pool.query(statement.text, statement.values);
      }
    }),
  );
  return (c.writers * c.appends * c.batch) / ((performance.now() - started) / 1000);
}

/** The same rows as plain multi-row INSERTs into the plain table. */
async function runRaw(pool: pg.Pool, c: Case): Promise<number> {
  const started = performance.now();
  await Promise.all(
    Array.from({ length: c.writers }, async () => {
      const stream: RawStream = { id: hostStream(`bench-${randomUUID()}`), version: 0, digest: '0'.repeat(64) };
      for (let a = 0; a < c.appends; a++) {
        const events = Array.from({ length: c.batch }, (_, i) => staged(a * c.batch + i));
        await rawAppend(pool, stream, events, metadata);
      }
    }),
  );
  return (c.writers * c.appends * c.batch) / ((performance.now() - started) / 1000);
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}
