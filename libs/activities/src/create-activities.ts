import { awaitHostBoot } from './await-boot';
import type { BankswitchActivities } from './activity-types';
import { recordCampaignFact } from './campaign-facts';
import { commitHost } from './commit';
import { recordHostOutcome } from './outcome';
import type { ActivityDependencies } from './ports';
import { precheckHost } from './precheck';
import { rebootHost } from './reboot';
import { rollBackHost } from './roll-back';
import { settleCancelledUpgrade } from './settle-cancelled';
import { stageImage } from './stage';
import { verifyHost } from './verify';

/** The activities the worker registers, bound to their dependencies. */
export function createActivities(deps: ActivityDependencies): BankswitchActivities {
  return {
    precheckHost: (input) => precheckHost(deps, input),
    stageImage: (input) => stageImage(deps, input),
    rebootHost: (input) => rebootHost(deps, input),
    awaitHostBoot: (input) => awaitHostBoot(deps, input),
    verifyHost: (input) => verifyHost(deps, input),
    commitHost: (input) => commitHost(deps, input),
    rollBackHost: (input) => rollBackHost(deps, input),
    settleCancelledUpgrade: (input) => settleCancelledUpgrade(deps, input),
    recordHostOutcome: (input) => recordHostOutcome(deps, input),
    recordCampaignFact: (input) => recordCampaignFact(deps, input),
  };
}
