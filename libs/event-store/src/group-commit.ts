// Group commit: appends that arrive while the database is busy wait for the next
// statement and share it, so N concurrent writers pay one Prisma call, one round trip and
// one commit instead of N. Nothing waits on a timer: a lone writer's append goes out once
// the current microtasks ran, others on the next turn of the event loop, and batches form
// only from appends that would have waited anyway. Each caller still gets its own answer.

export interface GroupCommitOptions {
  /** Appends in one statement at most. */
  readonly maxAppends?: number;
  /** Statements under way at once (each takes one pooled connection). */
  readonly maxInFlight?: number;
}

/** Runs a batch; answers in the batch's order, an Error for a caller that failed alone. */
export type RunBatch<R, A> = (batch: readonly R[]) => Promise<(A | Error)[]>;

interface Waiting<R, A> {
  readonly request: R;
  readonly stream: string;
  resolve(answer: A): void;
  reject(error: unknown): void;
}

/**
 * Queues requests and runs them in batches through `run`. Two appends to one stream never
 * share a statement and never run at once: the later waits for the earlier's answer, so
 * a stream's appends keep the order they were made in, and a retry's key identifies one
 * append (append-many.sql).
 */
export function createGroupCommitter<R, A>(run: RunBatch<R, A>, streamOf: (request: R) => string, options: GroupCommitOptions = {}) {
  const maxAppends = options.maxAppends ?? 64;
  const maxInFlight = options.maxInFlight ?? 1;
  let queue: Waiting<R, A>[] = [];
  const busyStreams = new Set<string>();
  let inFlight = 0;
  let scheduled = false;
  /** Appends in the last batch: one means one writer (or quiet), and the next goes out without waiting a turn; 0 before the first. */
  let lastBatchSize = 0;

  // setImmediate rather than a microtask: callers that resume from the same answer submit
  // their next appends before the batch is cut.
  const schedule = () => {
    if (scheduled || inFlight >= maxInFlight || queue.length === 0) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      flush();
    });
  };

  // Nothing under way, nothing waiting, and the last batch held one append: a lone
  // writer, whose append would wait a turn of the event loop for no one (about 10% of its
  // rate, docs/benchmarks.md). It goes out after the current microtasks instead, so
  // appends made in the same synchronous burst still share its statement. After a shared
  // batch (or at the start) the first append waits the whole turn, for the writers
  // resuming with it, whose paths back to the store may differ in length.
  const scheduleSoon = () => {
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      flush();
    });
  };

  const flush = () => {
    while (inFlight < maxInFlight) {
      const batch = cutBatch();
      if (batch.length === 0) return;
      inFlight++;
      void runBatch(batch);
    }
  };

  /** The oldest waiting appends, one per stream, none to a stream with a statement under way. */
  const cutBatch = () => {
    const batch: Waiting<R, A>[] = [];
    const rest: Waiting<R, A>[] = [];
    const taken = new Set<string>();
    for (const waiting of queue) {
      if (batch.length < maxAppends && !busyStreams.has(waiting.stream) && !taken.has(waiting.stream)) {
        taken.add(waiting.stream);
        batch.push(waiting);
      } else {
        // A later append to a stream skipped here is skipped too (its stream is taken), so order holds.
        taken.add(waiting.stream);
        rest.push(waiting);
      }
    }
    queue = rest;
    for (const waiting of batch) busyStreams.add(waiting.stream);
    if (batch.length > 0) lastBatchSize = batch.length;
    return batch;
  };

  const runBatch = async (batch: Waiting<R, A>[]) => {
    try {
      const answers = await run(batch.map((w) => w.request));
      batch.forEach((waiting, i) => {
        const answer = answers[i];
        if (answer instanceof Error) waiting.reject(answer);
        else if (answer === undefined) waiting.reject(new Error('group commit: no answer for this append'));
        else waiting.resolve(answer);
      });
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    } finally {
      for (const waiting of batch) busyStreams.delete(waiting.stream);
      inFlight--;
      schedule();
    }
  };

  return {
    submit(request: R): Promise<A> {
      return new Promise<A>((resolve, reject) => {
        queue.push({ request, stream: streamOf(request), resolve, reject });
        if (inFlight === 0 && !scheduled && lastBatchSize === 1) scheduleSoon();
        else schedule();
      });
    },
  };
}
