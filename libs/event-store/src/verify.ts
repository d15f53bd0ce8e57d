import { chainDigest, GENESIS_DIGEST, type ChainedFields } from './chain';
import type { Db } from './db';
import { Prisma } from './generated/prisma/client';

export type ChainProblemKind = 'edited' | 'removed' | 'reordered';

export interface ChainProblem {
  readonly streamId: string;
  readonly kind: ChainProblemKind;
  /** The stream version where the chain first breaks. */
  readonly streamVersion: number;
  readonly globalPosition: bigint | null;
  readonly message: string;
}

export interface StreamVerification {
  readonly streamId: string;
  readonly ok: boolean;
  readonly eventsChecked: number;
  readonly firstProblem?: ChainProblem;
}

export interface LogVerification {
  readonly ok: boolean;
  readonly streamsChecked: number;
  readonly eventsChecked: number;
  /** The first problem of each broken stream. */
  readonly problems: readonly ChainProblem[];
}

interface ChainRow {
  global_position: bigint;
  stream_id: string;
  stream_version: bigint;
  type: string;
  schema_version: number;
  data_text: string;
  metadata_text: string;
  idempotency_key: string | null;
  recorded_at_micros: bigint;
  digest: string;
  previous_digest: string;
}

const CHAIN_SELECT = Prisma.sql`SELECT global_position, stream_id, stream_version, type, schema_version, data::text AS data_text,
  metadata::text AS metadata_text, idempotency_key, (extract(epoch FROM recorded_at) * 1000000)::bigint AS recorded_at_micros,
  digest, previous_digest FROM events`;

/** Recomputes one stream's hash chain and reports the first event that was edited, removed or reordered. */
export async function verifyStream(db: Db, streamId: string): Promise<StreamVerification> {
  const rows = await db.$queryRaw<ChainRow[]>`${CHAIN_SELECT} WHERE stream_id = ${streamId} ORDER BY stream_version`;
  const firstProblem = checkChain(rows);
  return { streamId, ok: !firstProblem, eventsChecked: rows.length, ...(firstProblem ? { firstProblem } : {}) };
}

/** Every stream's chain, read in pages of `pageSize` events. */
export async function verifyAll(db: Db, options: { pageSize?: number } = {}): Promise<LogVerification> {
  const pageSize = options.pageSize ?? 5000;
  const problems: ChainProblem[] = [];
  let streams = 0;
  let events = 0;
  let current: ChainRow[] = [];
  const finish = () => {
    if (current.length === 0) return;
    streams++;
    const problem = checkChain(current);
    if (problem) problems.push(problem);
    current = [];
  };
  let after: [string, bigint] = ['', 0n];
  for (;;) {
    const page = await db.$queryRaw<ChainRow[]>`${CHAIN_SELECT}
      WHERE (stream_id, stream_version) > (${after[0]}, ${after[1]}::bigint) ORDER BY stream_id, stream_version LIMIT ${pageSize}`;
    for (const row of page) {
      if (current[0] && current[0].stream_id !== row.stream_id) finish();
      current.push(row);
      events++;
    }
    const last = page.at(-1);
    if (!last || page.length < pageSize) break;
    after = [last.stream_id, last.stream_version];
  }
  finish();
  return { ok: problems.length === 0, streamsChecked: streams, eventsChecked: events, problems };
}

function fields(row: ChainRow, streamVersion = row.stream_version): ChainedFields {
  return {
    streamId: row.stream_id,
    streamVersion,
    type: row.type,
    schemaVersion: row.schema_version,
    dataText: row.data_text,
    metadataText: row.metadata_text,
    idempotencyKey: row.idempotency_key,
    recordedAtMicros: row.recorded_at_micros,
  };
}

/** Rows in stream-version order; the first break, classified. */
export function checkChain(rows: readonly ChainRow[]): ChainProblem | undefined {
  let previous = GENESIS_DIGEST;
  for (const [index, row] of rows.entries()) {
    const expectedVersion = BigInt(index + 1);
    const at = (kind: ChainProblemKind, message: string): ChainProblem => ({
      streamId: row.stream_id,
      kind,
      streamVersion: Number(expectedVersion),
      globalPosition: row.global_position,
      message: `${row.stream_id} v${expectedVersion}: ${message}`,
    });
    if (row.stream_version > expectedVersion) {
      return at('removed', `version ${expectedVersion} is missing (the next event is version ${row.stream_version})`);
    }
    if (row.stream_version < expectedVersion) return at('reordered', `version ${row.stream_version} appears twice`);
    if (chainDigest(row.previous_digest, fields(row)) !== row.digest) {
      // The content no longer matches its digest. If it matches under another version, it was moved.
      const movedFrom = rows.find((other) => chainDigest(row.previous_digest, fields(row, other.stream_version)) === row.digest);
      if (movedFrom) return at('reordered', `the event recorded as version ${movedFrom.stream_version} now sits at version ${row.stream_version}`);
      return at('edited', `its content does not match its digest (type ${row.type}, position ${row.global_position})`);
    }
    if (row.previous_digest !== previous) {
      const linksToLater = rows.some((other) => other.digest === row.previous_digest && other.stream_version > row.stream_version);
      return linksToLater
        ? at('reordered', 'it chains to an event recorded after it')
        : at('removed', 'it chains to an event that is no longer before it (removed or replaced)');
    }
    previous = row.digest;
  }
  return undefined;
}
