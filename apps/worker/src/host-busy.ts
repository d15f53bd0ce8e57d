// Whether an upgrade or an operator's action runs on a host: its workflow (under the
// host's workflow id) is running. The drift watch leaves such a host to it.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { hostWorkflowId } from '@bankswitch/workflows';

export interface HostBusyCheck {
  hostBusy(hostId: string): Promise<boolean>;
}

/** `client`: the worker's client, made on first use (temporal-client.ts). */
export function temporalHostBusy(client: () => Promise<Client>): HostBusyCheck {
  return {
    async hostBusy(hostId) {
      try {
        const description = await (await client()).workflow.getHandle(hostWorkflowId(hostId)).describe();
        return description.status.name === 'RUNNING';
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return false;
        throw error;
      }
    },
  };
}
