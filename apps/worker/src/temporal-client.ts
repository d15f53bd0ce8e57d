// The worker's Temporal client (beside its worker connection, which is Core's and cannot
// serve a client): made on first use, so that a worker whose activities never need it
// opens no second connection. The campaign's activities start and look up host workflows
// through it (@bankswitch/activities, host-workflows.ts), the drift watch asks whether a
// host is busy (host-busy.ts). With tracing, each start is a span and its context goes to
// the host's workflow in headers: a host's upgrade stays in its campaign's trace.
import { Client, Connection, type WorkflowClientInterceptor } from '@temporalio/client';

export interface LazyTemporalClient {
  get(): Promise<Client>;
  close(): Promise<void>;
}

export function lazyTemporalClient(config: { temporalAddress: string; namespace: string }, interceptors: readonly WorkflowClientInterceptor[] = []): LazyTemporalClient {
  let client: Promise<Client> | undefined;
  return {
    get: () =>
      (client ??= Connection.connect({ address: config.temporalAddress }).then(
        (connection) => new Client({ connection, namespace: config.namespace, interceptors: { workflow: [...interceptors] } }),
        (error: unknown) => {
          // A failed connect is tried again by the next caller (the activity's retry).
          client = undefined;
          throw error;
        },
      )),
    async close() {
      if (client) await (await client.catch(() => undefined))?.connection.close();
    },
  };
}
