import type { BankswitchActivities } from './activity-types';
import { awaitHostBoot } from './await-boot';
import { appendCampaignEvents } from './campaign-append';
import { commitHost } from './commit';
import { guarded } from './failures';
import { awaitHostEnds } from './host-ends';
import { findEndedHostWorkflows, startHostWorkflows } from './host-workflows';
import { enterMaintenanceMode, exitMaintenanceMode } from './maintenance';
import { ruleOnHostAction, takeHostAction } from './host-action';
import type { ActivityDependencies } from './ports';
import { observeHosts } from './observe';
import { maintenanceWindowAt, queryGate } from './policies';
import { precheckHost } from './precheck';
import { probeHost } from './probe';
import { rebootHost } from './reboot';
import { recordCommitBarrier } from './record-barrier';
import { recordHostApproval, recordUpgradeEnd } from './record-end';
import { rollBackHost } from './roll-back';
import { settleHost } from './settle';
import { stageImage } from './stage';
import { verifyHost } from './verify';

/** The activities the worker registers, bound to their dependencies, each failing the way Temporal should retry it. */
export function createActivities(deps: ActivityDependencies): BankswitchActivities {
  return {
    precheckHost: (input) => guarded(() => precheckHost(deps, input)),
    enterMaintenanceMode: (input) => guarded(() => enterMaintenanceMode(deps, input)),
    exitMaintenanceMode: (input) => guarded(() => exitMaintenanceMode(deps, input)),
    stageImage: (input) => guarded(() => stageImage(deps, input)),
    rebootHost: (input) => guarded(() => rebootHost(deps, input)),
    awaitHostBoot: (input) => guarded(() => awaitHostBoot(deps, input)),
    verifyHost: (input) => guarded(() => verifyHost(deps, input)),
    commitHost: (input) => guarded(() => commitHost(deps, input)),
    rollBackHost: (input) => guarded(() => rollBackHost(deps, input)),
    settleHost: (input) => guarded(() => settleHost(deps, input)),
    recordUpgradeEnd: (input) => guarded(() => recordUpgradeEnd(deps, input)),
    recordHostApproval: (input) => guarded(() => recordHostApproval(deps, input)),
    recordCommitBarrier: (input) => guarded(() => recordCommitBarrier(deps, input)),
    probeHost: (input) => guarded(() => probeHost(deps, input)),
    ruleOnHostAction: (input) => guarded(() => ruleOnHostAction(deps, input)),
    takeHostAction: (input) => guarded(() => takeHostAction(deps, input)),
    appendCampaignEvents: (input) => guarded(() => appendCampaignEvents(deps, input)),
    // Not guarded: Temporal's own errors are retried as they come (no host to give up on).
    startHostWorkflows: (input) => startHostWorkflows(deps, input),
    findEndedHostWorkflows: (input) => findEndedHostWorkflows(deps, input),
    awaitHostEnds: (input) => guarded(() => awaitHostEnds(deps, input)),
    maintenanceWindowAt: (input) => Promise.resolve(maintenanceWindowAt(input)),
    queryGate: (input) => queryGate(input),
    listHostIds: (input) => guarded(() => deps.listHostIds(input.after, input.limit)),
    observeHosts: (input) => guarded(() => observeHosts(deps, input)),
  };
}
