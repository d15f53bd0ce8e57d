// The fleet's admin hands: faults, power-cycle and the console's Shift+R, per host.
import type { Faults } from '@bankswitch/host-agent';

async function call(address: string, method: 'GET' | 'PUT' | 'POST', route: string, body?: unknown): Promise<unknown> {
  const response = await fetch(new URL(route, address), {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`admin ${method} ${route} at ${address}: HTTP ${response.status} ${text}`);
  return JSON.parse(text) as unknown;
}

export interface FleetAdmin {
  setHostFaults(hostId: string, faults: Faults): Promise<void>;
  /** Faults for every host (in every agent) that boots or runs `build`. */
  setBuildFaults(build: string, faults: Faults): Promise<void>;
  powerCycle(hostId: string): Promise<void>;
  shiftR(hostId: string): Promise<void>;
}

export function fleetAdmin(adminAddressOf: (hostId: string) => string, allAdminAddresses: () => string[]): FleetAdmin {
  const host = (hostId: string) => `/hosts/${encodeURIComponent(hostId)}`;
  return {
    async setHostFaults(hostId, faults) {
      await call(adminAddressOf(hostId), 'PUT', `${host(hostId)}/faults`, faults);
    },
    async setBuildFaults(build, faults) {
      await Promise.all(allAdminAddresses().map((address) => call(address, 'PUT', `/builds/${encodeURIComponent(build)}/faults`, faults)));
    },
    async powerCycle(hostId) {
      await call(adminAddressOf(hostId), 'POST', `${host(hostId)}/power-cycle`);
    },
    async shiftR(hostId) {
      await call(adminAddressOf(hostId), 'POST', `${host(hostId)}/console/shift-r`);
    },
  };
}
