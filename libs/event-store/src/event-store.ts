import { prepareAppend, type AppendOptions, type AppendResult, type PreparedAppend } from './append';
import { appendEach, appendMany, appendOne, isAboutTheAppends } from './append-many';
import { observedAppend, type AppendObserver } from './append-observer';
import type { AnyEvent, EventCatalog } from './catalog/catalog';
import { listStreams, type StreamSummary } from './list-streams';
import { createGroupCommitter, type GroupCommitOptions } from './group-commit';
import { createStreamHeads } from './stream-heads';
import type { PrismaClient } from './prisma-client';
import { catchUpProjection, rebuildProjection, startProjector, type Projection } from './projections/projector';
import { readAll, type ReadAllOptions, type ReadAllResult } from './read-all';
import { readStream, type ReadStreamOptions } from './read-stream';
import type { RecordedEvent } from './recorded-event';
import { subscribe, type SubscribeOptions, type Subscription } from './subscribe';
import { verifyAll, verifyStream, type LogVerification, type StreamVerification } from './verify';

/** What activities and the application receive: the log, its projections and its audits. */
export interface EventStore<E extends AnyEvent = AnyEvent> {
  readonly catalog: EventCatalog<E>;
  appendToStream(streamId: string, events: readonly E[], options: AppendOptions): Promise<AppendResult>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent<E>[]>;
  readAll(options?: ReadAllOptions): Promise<ReadAllResult<E>>;
  subscribe(handler: (events: RecordedEvent<E>[]) => Promise<void> | void, options?: SubscribeOptions): Subscription;
  /** Streams whose id starts with `prefix`, newest first. */
  listStreams(prefix: string, options?: { limit?: number }): Promise<StreamSummary[]>;
  verifyStream(streamId: string): Promise<StreamVerification>;
  verifyAll(): Promise<LogVerification>;
  /** The projections the store was created with. */
  readonly projections: {
    /** Applies every committed event the projections have not seen; returns how many. */
    catchUp(): Promise<number>;
    /** Rebuilds every projection from the log; returns the events folded. */
    rebuild(): Promise<number>;
    /** Keeps projections in step in the background until stopped. */
    start(options?: { pollIntervalMs?: number; onError?: (error: unknown) => void }): { stop(): Promise<void> };
  };
}

/** A store over `prisma` for the events `catalog` declares, keeping `projections` up to date on request. */
export function createEventStore<E extends AnyEvent>(
  prisma: PrismaClient,
  catalog: EventCatalog<E>,
  options: {
    projections?: readonly Projection<E>[];
    onAppend?: AppendObserver;
    /** Concurrent appends coalesced into one statement (group-commit.ts); false: one statement per append. */
    groupCommit?: GroupCommitOptions | false;
  } = {},
): EventStore<E> {
  const projections = options.projections ?? [];
  // The heads this process wrote last: a lone append at a known head is one plain INSERT.
  const heads = createStreamHeads();
  const committer = createGroupCommitter<PreparedAppend, AppendResult>(
    async (batch) => {
      // A lone append (one writer, or nothing else waiting): its own errors reject it alone.
      if (batch.length === 1) return [await appendOne(prisma, batch[0]!, heads)];
      try {
        return await appendMany(prisma, batch, heads);
      } catch (error) {
        // A lost race the statement could not answer (or a deadlock), or one append's bad
        // data: each append is answered alone.
        if (isAboutTheAppends(error)) return appendEach(prisma, batch, heads);
        throw error;
      }
    },
    (append) => append.streamId,
    options.groupCommit || {},
  );
  const append =
    options.groupCommit === false
      ? (prepared: PreparedAppend) => appendOne(prisma, prepared, heads)
      : (prepared: PreparedAppend) => committer.submit(prepared);
  const catchUp = async () => {
    let applied = 0;
    for (const projection of projections) applied += await catchUpProjection(prisma, catalog, projection);
    return applied;
  };
  return {
    catalog,
    appendToStream: observedAppend(
      // Validation throws here, for this caller alone, before its append joins a batch.
      async (streamId, events, appendOptions) => append(prepareAppend(catalog, streamId, events, appendOptions)),
      options.onAppend,
    ),
    readStream: (streamId, readOptions) => readStream(prisma, catalog, streamId, readOptions),
    readAll: (readOptions) => readAll(prisma, catalog, readOptions),
    subscribe: (handler, subscribeOptions) => subscribe(prisma, catalog, handler, subscribeOptions),
    listStreams: (prefix, listOptions) => listStreams(prisma, prefix, listOptions),
    verifyStream: (streamId) => verifyStream(prisma, streamId),
    verifyAll: () => verifyAll(prisma),
    projections: {
      catchUp,
      async rebuild() {
        let events = 0;
        for (const projection of projections) events += await rebuildProjection(prisma, catalog, projection);
        return events;
      },
      start: (startOptions) => startProjector(catchUp, startOptions),
    },
  };
}
