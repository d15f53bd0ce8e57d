/** Base class of every error the event store throws on purpose. */
export class EventStoreError extends Error {
  override readonly name: string = 'EventStoreError';
}

/** The stream moved on since the writer read it: re-read, decide again, retry. Nothing was written. */
export class StreamVersionConflictError extends EventStoreError {
  override readonly name = 'StreamVersionConflictError';
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
    /** The stream's version when the append was refused; unknown when two writers raced. */
    readonly actualVersion: number | undefined,
  ) {
    super(
      `stream ${streamId} is at version ${actualVersion ?? '(moved by a concurrent writer)'}, the writer expected ${expectedVersion}: nothing was written`,
    );
  }
}

/** The event type is not in the catalog. Nothing was written. */
export class UnknownEventTypeError extends EventStoreError {
  override readonly name = 'UnknownEventTypeError';
  constructor(readonly type: string) {
    super(`unknown event type "${type}": declare it in the event catalog the store was created with before writing it`);
  }
}

/** The event (or its metadata, or the stream it goes to) does not match its declaration. Nothing was written. */
export class InvalidEventError extends EventStoreError {
  override readonly name = 'InvalidEventError';
  constructor(
    readonly type: string,
    readonly problems: readonly string[],
  ) {
    super(`invalid ${type} event: ${problems.join('; ')}`);
  }
}
