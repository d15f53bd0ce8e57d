// `npm run bench:events`: appends per second through the event store against plain
// inserts of the same rows through the same Prisma client (the floor of the path every
// bank transition must take), for reference through plain `pg`, and against Emmett (an
// established Node.js event store, events-emmett.ts) in its own database on the same
// server; one run, one server (the local stack's embedded PostgreSQL, or DATABASE_URL).
// The appends are shaped like the engine's (events-workload.ts). Each case: a warm-up of
// one whole run per path, then one run per path, each on a collected heap, the paths'
// order rotated by one every run (each path runs once in every position); the table
// shows medians with the spread (lowest–highest). Before the last line: `ahead of Emmett: <n> of <m>
// cases`. Last line: `worst ratio: <x>`, the lowest median store/plain-Prisma ratio over
// the cases. Not a test: compare only figures from one run.
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createEventStore, createPrismaClient, type EventStore, type PrismaClient } from '@bankswitch/event-store';
import { bankswitchCatalog, campaignStream, createBankswitchStore, hostStream, type BankswitchEvent } from '@bankswitch/records';
import { startPostgres } from '../local-stack/postgres';
import { migrateDeploy } from '../prisma/prisma-cli';
import { databaseOf, loadEmmett, withDatabase, type EmmettEventStore } from './events-emmett';
import { aheadLine, median, medianRatio, spreadCell, type RunFigures } from './events-figures';
import { createRawTable, rawInsert, rawViaPg, rawViaPrisma, type RawStream } from './events-raw';
import { campaignEvent, metadata, runWriter, SEEDED_CAMPAIGN_EVENTS, type StreamWriter, type WriterStreams } from './events-workload';

interface Case {
  readonly name: string;
  readonly writers: number;
  readonly batch: number;
  /** Appends per writer per run. */
  readonly appends: number;
}

const scale = Number(process.env.BENCH_SCALE ?? 1);
// Each run takes about half a second per path on this machine (2 cores): shorter runs
// (0.1–0.2 s, as before) swung by ±15% from one run to the next, more than the
// differences measured (docs/benchmarks.md, "Longer runs").
const cases: readonly Case[] = [
  { name: '1 event per append, 1 writer', writers: 1, batch: 1, appends: 1500 * scale },
  { name: '1 event per append, 4 writers', writers: 4, batch: 1, appends: 600 * scale },
  { name: '10 events per append, 1 writer', writers: 1, batch: 10, appends: 800 * scale },
  { name: '10 events per append, 4 writers', writers: 4, batch: 10, appends: 400 * scale },
];

/** A way of writing the rows: writers for the streams of one run. */
interface Path {
  readonly name: string;
  streams(writer: number, runTag: string): WriterStreams;
}

const benchId = randomUUID().slice(0, 8);
// Stream heads as the writers know them, kept across cases (the campaign streams grow).
const versions = new Map<string, number>();
const rawStreams = new Map<string, RawStream>();
const seeded = new Set<string>();
const emmett = await loadEmmett();
const postgres = await startPostgres({ name: `bench-events-${process.pid}` });
const pools: pg.Pool[] = [];
const prismas: PrismaClient[] = [];
let admin: pg.Pool | undefined;
// Emmett creates its own tables (emt_*): its own database on the same server, new each run.
const emmettDatabase = `${databaseOf(postgres.databaseUrl)}_bench_emmett`;
let emmettStore: EmmettEventStore | undefined;
try {
  await migrateDeploy(postgres.databaseUrl);
  admin = newPool(2);
  await createRawTable(admin);
  await admin.query(`DROP DATABASE IF EXISTS "${emmettDatabase}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${emmettDatabase}"`);
  // One instance for the whole run, as a service holds one (Emmett's getting-started
  // creates it once per application); its writers share its pool (pg's default of 10
  // connections, more than the writers of any case).
  emmettStore = emmett.getPostgreSQLEventStore(withDatabase(postgres.databaseUrl, emmettDatabase));
  console.error(`load average at start: ${loadAverage()}`);

  const results: { name: string; runs: RunFigures[] }[] = [];
  for (const c of cases) {
    const prisma = createPrismaClient(postgres.databaseUrl, { maxConnections: c.writers });
    prismas.push(prisma);
    const pool = newPool(c.writers);
    const paths: Path[] = [
      storePath('store', createBankswitchStore(prisma)),
      storePath('store, no group commit', createEventStore(prisma, bankswitchCatalog, { groupCommit: false })),
      rawPath('plain Prisma', rawViaPrisma(prisma)),
      rawPath('plain pg', rawViaPg(pool)),
      emmettPath('Emmett', emmettStore),
    ];
    // Warm-up: the long campaign streams seeded, connections opened, plans cached, and a
    // whole run per path, so that V8 has compiled every path's hot code before it counts.
    await seedCampaignStreams(paths, c.writers);
    for (const path of paths) await timeRun(path, c, c.appends, `${c.writers}w${c.batch}-warm`);
    const runs: Record<string, number>[] = [];
    for (let run = 0; run < paths.length; run++) {
      const order = rotated(paths, run);
      const figures: Record<string, number> = {};
      for (const path of order) figures[path.name] = await timeRun(path, c, c.appends, `${c.writers}w${c.batch}-${run}`);
      runs.push(figures);
    }
    results.push({ name: c.name, runs });
    console.error(`  ${c.name}: ${paths.map((p) => `${p.name} ${median(runs.map((r) => r[p.name]!)).toFixed(0)}`).join(', ')} ev/s`);
  }

  const rows = results.map(({ name, runs }) => [
    name,
    spreadCell(runs, 'store'),
    spreadCell(runs, 'store, no group commit'),
    spreadCell(runs, 'plain Prisma'),
    spreadCell(runs, 'plain pg'),
    spreadCell(runs, 'Emmett'),
    medianRatio(runs, 'store', 'plain Prisma').toFixed(2),
    medianRatio(runs, 'store', 'plain pg').toFixed(2),
    medianRatio(runs, 'store', 'Emmett').toFixed(2),
  ]);
  console.log(`events per second, median of ${results[0]?.runs.length ?? 0} runs (lowest–highest); every append of the store and the plain paths with an idempotency key (Emmett has none)`);
  printTable(['case', 'store', 'store, no group commit', 'plain Prisma', 'plain pg', 'Emmett', 'store/Prisma', 'store/pg', 'store/Emmett'], rows);
  console.log(`load average: ${loadAverage()} (${os.cpus().length} cores)`);
  console.log(aheadLine('Emmett', results.map(({ runs }) => medianRatio(runs, 'store', 'Emmett'))));
  const worst = Math.min(...results.map(({ runs }) => medianRatio(runs, 'store', 'plain Prisma')));
  console.log(`worst ratio: ${worst.toFixed(2)}`);
} finally {
  await emmettStore?.close().catch(() => {});
  await emmett.endAllPools().catch((error: Error) => console.error(`bench: Emmett's pools: ${error.message}`));
  for (const prisma of prismas) await prisma.$disconnect().catch(() => {});
  for (const pool of pools) if (pool !== admin) await pool.end().catch(() => {});
  // pool.end() resolves before every socket has closed. Dropping Emmett's database (FORCE)
  // or stopping the server under a connection still closing sends its pool "terminating
  // connection", which crashes the process where the pool has no error listener (Emmett's;
  // seen once). Wait until every other connection is gone first.
  if (admin) {
    await waitForOtherConnectionsToClose(admin, emmettDatabase);
    await admin.query(`DROP DATABASE IF EXISTS "${emmettDatabase}" WITH (FORCE)`).catch((error: Error) => console.error(`bench: ${error.message}`));
    if (postgres.started) await waitForOtherConnectionsToClose(admin);
  }
  await admin?.end().catch(() => {});
  await postgres.stop();
}

/** Events per second of `appends` appends by each of the case's writers at once. */
async function timeRun(path: Path, c: Case, appends: number, runTag: string): Promise<number> {
  // Each run starts on a collected heap, not paying for the garbage of the path before it
  // (`gc` is there when node runs with --expose-gc, as the npm script does).
  (globalThis as { gc?: () => void }).gc?.();
  const writers = Array.from({ length: c.writers }, (_, w) => path.streams(w, runTag));
  const started = performance.now();
  await Promise.all(writers.map((streams, w) => runWriter(streams, `${benchId}-${runTag}-${w}`, appends, c.batch)));
  return (c.writers * appends * c.batch) / ((performance.now() - started) / 1000);
}

/** The store, as the engine appends: an expected version and a key on every append. */
function storePath(name: string, store: EventStore<BankswitchEvent>): Path {
  const writerFor = (streamId: string): StreamWriter => ({
    async append(events, key) {
      const result = await store.appendToStream(streamId, events, { expectedVersion: versions.get(streamId) ?? 0, idempotencyKey: key, metadata });
      versions.set(streamId, result.lastVersion);
    },
  });
  return {
    name,
    streams: (writer, runTag) => ({
      campaign: writerFor(campaignStream(`bench-${benchId}-${slug(name)}-${writer}`)),
      host: (id) => writerFor(hostStream(`bench-${slug(name)}-${runTag}-${id}`)),
    }),
  };
}

/**
 * Emmett, as the engine would append through it: the expected version on every append
 * (its optimistic concurrency check), the same events and metadata; no idempotency key
 * (Emmett has none: each message gets a random id).
 */
function emmettPath(name: string, store: EmmettEventStore): Path {
  const writerFor = (streamName: string): StreamWriter => ({
    async append(events) {
      const result = await store.appendToStream(
        streamName,
        events.map((event) => ({ type: event.type, data: event.data, metadata })),
        { expectedStreamVersion: BigInt(versions.get(streamName) ?? 0) },
      );
      versions.set(streamName, Number(result.nextExpectedStreamVersion));
    },
  });
  return {
    name,
    streams: (writer, runTag) => ({
      campaign: writerFor(campaignStream(`bench-${benchId}-${slug(name)}-${writer}`)),
      host: (id) => writerFor(hostStream(`bench-${slug(name)}-${runTag}-${id}`)),
    }),
  };
}

/** Plain inserts of the same rows, the client keeping versions and digests. */
function rawPath(name: string, execute: (statement: { text: string; values: unknown[] }) => Promise<void>): Path {
  const writerFor = (id: string): StreamWriter => {
    let stream = rawStreams.get(id);
    if (!stream) rawStreams.set(id, (stream = { id, version: 0, digest: '0'.repeat(64) }));
    const known = stream;
    return { append: (events, key) => execute(rawInsert(known, events, key, metadata)) };
  };
  return {
    name,
    streams: (writer, runTag) => ({
      campaign: writerFor(campaignStream(`bench-${benchId}-${slug(name)}-${writer}`)),
      host: (id) => writerFor(hostStream(`bench-${slug(name)}-${runTag}-${id}`)),
    }),
  };
}

/** The long campaign streams: seeded once, then appended to by every case (each path its own per writer). */
async function seedCampaignStreams(paths: readonly Path[], writers: number): Promise<void> {
  for (const path of paths) {
    for (let w = 0; w < writers; w++) {
      const stream = path.streams(w, 'seed').campaign;
      const id = campaignStream(`bench-${benchId}-${slug(path.name)}-${w}`);
      if (seeded.has(id)) continue;
      seeded.add(id);
      for (let i = 0; i < SEEDED_CAMPAIGN_EVENTS; i += 100) {
        await stream.append(Array.from({ length: 100 }, (_, j) => campaignEvent(i + j)), `${benchId}-seed-${i}`);
      }
    }
  }
}

/**
 * The paths in the order of run `run`: rotated by one each run, so that over as many runs
 * as paths each runs once in every position. Runs were three, in an order reversed every
 * other run: the first path then ran first twice, and the lone writer's store (first)
 * came out 2–10% below the same store without group commit (second) in every run,
 * though the two were within 3% measured apart (docs/benchmarks.md, "A fair order").
 */
function rotated<T>(paths: readonly T[], run: number): T[] {
  return paths.map((_, i) => paths[(i + run) % paths.length]!);
}

function slug(name: string): string {
  return name.replace(/\W+/g, '-');
}

function loadAverage(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');
}

/** Waits (5 s at most) until no client but `pool`'s own is connected, to `database` or at all. */
async function waitForOtherConnectionsToClose(pool: pg.Pool, database?: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const { rows } = await pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() AND ($1::text IS NULL OR datname = $1)",
      [database ?? null],
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

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}
