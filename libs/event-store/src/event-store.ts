import { appendToStream, type AppendOptions, type AppendResult } from './append';
import type { StoreEvent } from './catalog/catalog';
import type { PrismaClient } from './prisma-client';
import { catchUpHostBanks, rebuildHostBanks, startHostBanksProjector } from './projections/host-banks-projector';
import type { HostBanksRow } from './projections/host-banks-row';
import { listHostBanksRows, loadHostBanksRows } from './projections/host-banks-store';
import { readAll, type ReadAllOptions, type ReadAllResult } from './read-all';
import { readStream, type ReadStreamOptions } from './read-stream';
import type { RecordedEvent } from './recorded-event';
import { subscribe, type SubscribeOptions, type Subscription } from './subscribe';
import { hostHistory, hostStateAt, type HostHistoryEntry, type HostStateAt } from './time-travel';
import { verifyAll, verifyStream, type LogVerification, type StreamVerification } from './verify';

/** What activities and the application receive: the log, its projections and its audits. */
export interface EventStore {
  appendToStream(streamId: string, events: readonly StoreEvent[], options: AppendOptions): Promise<AppendResult>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<ReadAllResult>;
  subscribe(handler: (events: RecordedEvent[]) => Promise<void> | void, options?: SubscribeOptions): Subscription;
  /** host_banks as projected so far (call `projections.catchUp()` first to include your own appends). */
  hostBanks(hostId: string): Promise<HostBanksRow | undefined>;
  listHostBanks(hostIdPrefix?: string): Promise<HostBanksRow[]>;
  hostStateAt(hostId: string, instant: Date): Promise<HostStateAt>;
  hostHistory(hostId: string): Promise<HostHistoryEntry[]>;
  verifyStream(streamId: string): Promise<StreamVerification>;
  verifyAll(): Promise<LogVerification>;
  readonly projections: {
    /** Applies every committed event the projections have not seen; returns how many. */
    catchUp(): Promise<number>;
    /** Rebuilds every projection from the log. */
    rebuild(): Promise<{ hosts: number; events: number }>;
    /** Keeps projections in step in the background until stopped. */
    start(options?: { pollIntervalMs?: number; onError?: (error: unknown) => void }): { stop(): Promise<void> };
  };
}

export function createEventStore(prisma: PrismaClient): EventStore {
  return {
    appendToStream: (streamId, events, options) => appendToStream(prisma, streamId, events, options),
    readStream: (streamId, options) => readStream(prisma, streamId, options),
    readAll: (options) => readAll(prisma, options),
    subscribe: (handler, options) => subscribe(prisma, handler, options),
    hostBanks: async (hostId) => (await loadHostBanksRows(prisma, [hostId]))[0],
    listHostBanks: (prefix) => listHostBanksRows(prisma, prefix),
    hostStateAt: (hostId, instant) => hostStateAt(prisma, hostId, instant),
    hostHistory: (hostId) => hostHistory(prisma, hostId),
    verifyStream: (streamId) => verifyStream(prisma, streamId),
    verifyAll: () => verifyAll(prisma),
    projections: {
      catchUp: () => catchUpHostBanks(prisma),
      rebuild: () => rebuildHostBanks(prisma),
      start: (options) => startHostBanksProjector(prisma, options),
    },
  };
}
