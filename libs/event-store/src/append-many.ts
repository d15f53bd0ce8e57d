// The append statement: one call of the SQL function `bankswitch_append_many` (readable
// source in append-many.sql) for one or several appends, each to a different stream, so
// one round trip and one transaction for all of them, each with its own answer.
import type { AppendResult, PreparedAppend } from './append';
import { appendAtKnownHead } from './append-known-head';
import type { Db } from './db';
import { StreamVersionConflictError } from './errors';
import { isUniqueViolation, databaseCode } from './prisma-errors';
import type { StreamHeads } from './stream-heads';

/** Each append's answer, in the order given: its result, or the conflict it met. */
export type AppendAnswer = AppendResult | StreamVersionConflictError;

/** Statements re-run after a lost race the function could not answer itself (see appendOne). */
const MAX_RACE_RETRIES = 20;

/**
 * Runs appends to distinct streams as one statement. A version conflict or a duplicate
 * key is one append's answer and does not touch the others. The statement as a whole
 * fails only when the database does, or (rarely) on a lost race the function turns into
 * 23505 so as never to keep half an append: then `appendEach` answers them one by one.
 * The heads written are remembered in `heads`, the heads of streams in conflict forgotten.
 */
export async function appendMany(db: Db, appends: readonly PreparedAppend[], heads?: StreamHeads): Promise<AppendAnswer[]> {
  // Appends in stream order, so two statements that wait on each other's streams always
  // wait in the same order (no deadlock between two processes' batches).
  const order = appends.map((_, i) => i).sort((a, b) => compare(appends[a]!.streamId, appends[b]!.streamId));
  const payload = `[${order.map((i) => appends[i]!.json).join(',')}]`;
  const rows = await db.$queryRaw<{ line: string }[]>`/* prepare:bankswitch_append_many */ SELECT line FROM bankswitch_append_many(${payload}::jsonb) AS line`;
  const answers = new Array<AppendAnswer | undefined>(appends.length);
  for (const { line } of rows) {
    const [index, outcome, ...rest] = line.split(' ');
    const original = order[Number(index)];
    const append = original === undefined ? undefined : appends[original];
    if (!append || original === undefined) throw new Error(`bankswitch_append_many answered for an append it was not given: ${line}`);
    if (outcome === 'conflict') {
      answers[original] = conflict(append, rest[0]);
      heads?.forget(append.streamId);
    } else {
      answers[original] = written(append.streamId, outcome === 'duplicate', rest);
      // A duplicate's events are the first append's, not necessarily the head.
      if (outcome === 'appended') heads?.remember(append.streamId, { version: Number(rest[1]), digest: rest[4] ?? '', recordedAtMicros: BigInt(rest[3] ?? '') });
    }
  }
  return answers.map((answer, i) => {
    if (!answer) throw new Error(`bankswitch_append_many gave no answer for the append to ${appends[i]?.streamId}`);
    return answer;
  });
}

/**
 * One append alone: at the head this process knows, if it knows the one the writer
 * expects (append-known-head.ts); else, or when that is refused, through the function,
 * re-run after a lost race (a fresh statement sees the winner). Without `heads` (an
 * interactive transaction, where a refused insert would abort it), always the function.
 */
export async function appendOne(db: Db, append: PreparedAppend, heads?: StreamHeads): Promise<AppendResult> {
  const head = heads?.headFor(append.streamId, append.expected);
  if (head && heads) {
    const written = await appendAtKnownHead(db, append, head, heads);
    if (written) return written;
    heads.forget(append.streamId);
  }
  for (let attempt = 0; ; attempt++) {
    try {
      const [answer] = await appendMany(db, [append], heads);
      if (answer instanceof StreamVersionConflictError) throw answer;
      return answer!;
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= MAX_RACE_RETRIES) throw error;
    }
  }
}

/** The fallback of a statement that failed on a lost race or a deadlock: each append on its own. */
export async function appendEach(db: Db, appends: readonly PreparedAppend[], heads?: StreamHeads): Promise<(AppendAnswer | Error)[]> {
  const answers: (AppendAnswer | Error)[] = [];
  for (const append of appends) {
    answers.push(await appendOne(db, append, heads).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))));
  }
  return answers;
}

/** A statement failure that says nothing about the appends themselves: re-run them one by one. */
export function isLostRace(error: unknown): boolean {
  return isUniqueViolation(error) || databaseCode(error) === '40P01';
}

/**
 * A statement failure that PostgreSQL raised about what it was given (a race, or one
 * append's data, e.g. a NUL character jsonb refuses): each append is answered alone, so
 * one bad append does not fail the others of its statement. A lost connection or a server
 * going away (no SQLSTATE, or classes 08, 53, 57) fails every append alike.
 */
export function isAboutTheAppends(error: unknown): boolean {
  const code = databaseCode(error);
  return isLostRace(error) || (code !== undefined && !/^(08|53|57)/.test(code));
}

function written(streamId: string, duplicate: boolean, [first, last, transaction, recordedUs, digest, positions]: string[]): AppendResult {
  return {
    streamId,
    firstVersion: Number(first),
    lastVersion: Number(last),
    globalPositions: (positions ?? '').split(',').map((p) => BigInt(p)),
    transactionId: BigInt(transaction ?? ''),
    recordedAt: new Date(Number(BigInt(recordedUs ?? '') / 1000n)),
    digest: digest ?? '',
    duplicate,
  };
}

function conflict(append: PreparedAppend, head: string | undefined): StreamVersionConflictError {
  return new StreamVersionConflictError(append.streamId, append.expected ?? -1, head === undefined || head === '-' ? undefined : Number(head));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
