export { launchFleet, hostRows, DEFAULT_BUILD, type Fleet, type FleetDriver, type FleetFaults, type InventoryHost, type LaunchFleetOptions, type AgentInfo } from './launch-fleet';
export type { FleetAdmin } from './admin-client';
export { parseFaultArg } from './fault-arg';
