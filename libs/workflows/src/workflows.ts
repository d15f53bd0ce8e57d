// The module the worker bundles (workflowsPath): every workflow type, nothing else.
export { campaignWorkflow } from './campaign.workflow';
export { hostUpgradeWorkflow } from './host-upgrade.workflow';
export { hostActionWorkflow } from './host-action.workflow';
export { driftWatchWorkflow } from './drift-watch.workflow';
