import { advance } from './advance';
import type { CampaignCommandOf } from './commands';
import type { CampaignDecision } from './decision';
import { accept, refuse } from './decision';
import type { CurrentCampaignEvent } from './events';
import { evolve } from './evolve';
import type { CampaignState } from './state';
import { hasApprovals } from './approvals';

/** Records the plan and starts wave 0; a campaign is launched once. */
export function launch(command: CampaignCommandOf<'Launch'>, state: CampaignState): CampaignDecision {
  if (state.status !== 'not-launched') return refuse('ALREADY_LAUNCHED', `campaign ${state.campaignId} was launched already; it is not launched twice`);
  const { plan } = command;
  const hostIds = plan.waves.flatMap((w) => w.hostIds);
  if (hostIds.length === 0) return refuse('INVALID_PLAN', `campaign ${state.campaignId} has no host to upgrade`);
  if (new Set(hostIds).size !== hostIds.length) return refuse('INVALID_PLAN', `campaign ${state.campaignId} lists a host in two waves`);
  const launched: CurrentCampaignEvent = {
    type: 'CampaignLaunched',
    data: {
      campaignId: state.campaignId,
      name: plan.name,
      targetBuild: plan.targetBuild,
      waves: plan.waves.map((w) => ({ kind: w.kind, hosts: w.hostIds })),
      failureBudget: plan.failureBudget,
      clusters: plan.clusters,
      maxInFlight: plan.maxInFlight,
      maxPerCluster: plan.maxPerCluster,
      pauseBetweenWaves: plan.pauseBetweenWaves,
      launchedBy: plan.launchedBy,
      ...(plan.rampUp ? { rampUp: plan.rampUp } : {}),
      ...(plan.windows && plan.windows.length > 0 ? { windows: plan.windows } : {}),
      ...(plan.gates && plan.gates.length > 0 ? { gates: plan.gates } : {}),
      ...(hasApprovals(plan.approvals) ? { approvals: plan.approvals } : {}),
      ...(plan.commitBarrier ? { commitBarrier: plan.commitBarrier } : {}),
    },
  };
  const firstWave: CurrentCampaignEvent = { type: 'WaveStarted', data: { campaignId: state.campaignId, wave: 0, hosts: plan.waves[0]?.hostIds ?? [] } };
  const started = evolve(evolve(state, launched), firstWave);
  return accept([launched, firstWave, ...advance(started)]);
}
