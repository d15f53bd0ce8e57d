import type { CurrentCampaignEvent } from './events';
import { evolve } from './evolve';
import { haltReason, hostsToStart, nextRampWave, unassignedHosts, waveComplete } from './schedule';
import type { CampaignState } from './state';
import { isDone, isFailed, isSucceeded } from './state';

/**
 * What follows by itself from a state: a halt when the budget is spent, hosts started
 * into free slots, a finished wave, the pause or the next wave after it, the end. Each
 * command's events are followed by these, so the rules live here once.
 */
export function advance(start: CampaignState): CurrentCampaignEvent[] {
  const events: CurrentCampaignEvent[] = [];
  let state = start;
  const emit = (event: CurrentCampaignEvent) => {
    events.push(event);
    state = evolve(state, event);
  };
  const campaignId = state.campaignId;
  // Each pass either emits and loops, or stops: at most one pass per wave plus one (a
  // ramp-up's waves are made as they start, each with at least one host).
  const bound = state.plan.waves.length + unassignedHosts(state).length + 1;
  for (let pass = 0; pass <= bound; pass++) {
    if (state.status !== 'running') break;
    const why = haltReason(state);
    if (why) {
      emit({ type: 'CampaignHalted', data: { campaignId, reason: why } });
      break;
    }
    for (const host of hostsToStart(state)) {
      emit({ type: 'HostStarted', data: { campaignId, hostId: host.hostId, wave: host.wave, attempt: host.attempts + 1, operator: host.operator ?? null } });
    }
    const wave = state.wave;
    if (state.wavesFinished <= wave) {
      if (!waveComplete(state, wave)) break;
      const hosts = state.hosts.filter((h) => h.wave === wave);
      const awaitingCommit = hosts.filter((h) => h.status === 'running').length;
      const failed = hosts.filter((h) => isDone(h) && !isSucceeded(h)).length;
      emit({ type: 'WaveFinished', data: { campaignId, wave, succeeded: hosts.filter(isSucceeded).length, failed, ...(awaitingCommit > 0 ? { awaitingCommit } : {}) } });
    }
    const next = wave + 1;
    const planned = next < state.plan.waves.length;
    if (planned || unassignedHosts(state).length > 0) {
      // Gates after the wave hold the next one until they pass (evaluated once per wave).
      const gates = state.plan.gates ?? [];
      if (gates.length > 0 && state.gatesPassed < next) {
        if (!state.gating) emit({ type: 'GatesStarted', data: { campaignId, afterWave: wave, gates: gates.map((g) => g.name) } });
        break;
      }
      const pause = state.plan.pauseBetweenWaves;
      // The gap before a wave is waited once: a retry run passes gaps already waited.
      if (pause.kind === 'manual' && state.gapsWaited < next) {
        emit({ type: 'CampaignPaused', data: { campaignId, reason: `waiting for approval before wave ${next}`, kind: 'approval', ms: null } });
        break;
      }
      if (pause.kind === 'timed' && state.gapsWaited < next) {
        emit({ type: 'CampaignPaused', data: { campaignId, reason: `pausing ${Math.round(pause.ms / 1000)} s before wave ${next}`, kind: 'timed', ms: pause.ms } });
        break;
      }
      const ramp = planned ? undefined : nextRampWave(state, next);
      if (ramp) emit({ type: 'WaveStarted', data: { campaignId, wave: next, hosts: ramp.hosts, rampUp: ramp.why } });
      else emit({ type: 'WaveStarted', data: { campaignId, wave: next, hosts: state.plan.waves[next]?.hostIds ?? [] } });
      continue;
    }
    if (state.running === 0 && state.hosts.every((h) => h.status !== 'pending')) {
      emit({
        type: 'CampaignCompleted',
        data: {
          campaignId,
          succeeded: state.hosts.filter((h) => h.cause === 'succeeded').length,
          failed: state.hosts.filter(isFailed).length,
          skipped: state.hosts.filter((h) => h.cause === 'already-on-target').length,
        },
      });
    }
    break;
  }
  return events;
}
