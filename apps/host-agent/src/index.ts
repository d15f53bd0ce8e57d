// For the fleet launcher and tests: the agent's config and admin API types.
export { agentConfigSchema, agentReadySchema, type AgentConfig, type AgentHostConfig, type AgentReady } from './config';
export { faultsSchema, FAULT_NAMES, type Faults } from './faults';
export type { HostStatus } from './sim-host';
