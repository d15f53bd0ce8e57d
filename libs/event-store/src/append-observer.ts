// Who wants to know how appends go (the worker's metrics) passes an observer to
// createEventStore: the store stays generic and measures nothing itself.
import type { AppendOptions, AppendResult } from './append';
import { StreamVersionConflictError } from './errors';

export interface AppendObservation {
  readonly streamId: string;
  /** Events in the append (whether written or found written before). */
  readonly events: number;
  /** From the call to its answer: validation, the round trip and any retries. */
  readonly seconds: number;
  /** appended: written; duplicate: its idempotency key had been used (nothing written); conflict: a stale expected version; error: anything else. */
  readonly outcome: 'appended' | 'duplicate' | 'conflict' | 'error';
}

export type AppendObserver = (observation: AppendObservation) => void;

type Append<E> = (streamId: string, events: readonly E[], options: AppendOptions) => Promise<AppendResult>;

/** `append`, telling `observer` about each call once it has answered; an observer that throws is ignored. */
export function observedAppend<E>(append: Append<E>, observer: AppendObserver | undefined): Append<E> {
  if (!observer) return append;
  return async (streamId, events, options) => {
    const started = process.hrtime.bigint();
    const tell = (outcome: AppendObservation['outcome']) => {
      try {
        observer({ streamId, events: events.length, seconds: Number(process.hrtime.bigint() - started) / 1e9, outcome });
      } catch {
        // Measuring must never fail an append.
      }
    };
    try {
      const result = await append(streamId, events, options);
      tell(result.duplicate ? 'duplicate' : 'appended');
      return result;
    } catch (error) {
      tell(error instanceof StreamVersionConflictError ? 'conflict' : 'error');
      throw error;
    }
  };
}
