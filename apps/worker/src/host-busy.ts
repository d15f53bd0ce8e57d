// Whether an upgrade or an operator's action runs on a host: its workflow (under the
// host's workflow id) is running. The drift watch leaves such a host to it.
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { hostWorkflowId } from '@bankswitch/workflows';

export interface HostBusyCheck {
  hostBusy(hostId: string): Promise<boolean>;
  close(): Promise<void>;
}

export function temporalHostBusy(config: { temporalAddress: string; namespace: string }): HostBusyCheck {
  // Made on first use: a worker that never runs a drift watch opens no second connection.
  let client: Promise<Client> | undefined;
  const connect = () => (client ??= Connection.connect({ address: config.temporalAddress }).then((connection) => new Client({ connection, namespace: config.namespace })));
  return {
    async hostBusy(hostId) {
      try {
        const description = await (await connect()).workflow.getHandle(hostWorkflowId(hostId)).describe();
        return description.status.name === 'RUNNING';
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return false;
        throw error;
      }
    },
    async close() {
      if (client) await (await client).connection.close();
    },
  };
}
