// Maintenance windows and health gates: the workflow feeds the decider the facts (the
// window as it stands now, the values a gate's query returned), the decider rules.
import { advance } from './advance';
import type { CampaignCommandOf } from './commands';
import type { CampaignDecision } from './decision';
import { accept } from './decision';
import type { CurrentCampaignEvent } from './events';
import { evolve } from './evolve';
import type { CampaignState } from './state';
import { gateHolds } from './state';

const LIVE: readonly CampaignState['status'][] = ['running', 'paused', 'awaiting-approval', 'halted'];

/** A window opened or closed: recorded when it changes what the campaign knew; hosts start as soon as one is open. */
export function windowChecked(command: CampaignCommandOf<'WindowChecked'>, state: CampaignState): CampaignDecision {
  if (!state.window || !LIVE.includes(state.status)) return accept([]);
  const now = command.window;
  const known = state.window;
  const same = now.open ? known.open && known.closesAt === now.closesAt : !known.open && known.opensAt === now.opensAt;
  if (same) return accept([]);
  const event: CurrentCampaignEvent = now.open
    ? { type: 'WindowOpened', data: { campaignId: state.campaignId, closesAt: now.closesAt } }
    : { type: 'WindowClosed', data: { campaignId: state.campaignId, opensAt: now.opensAt } };
  return accept([event, ...advance(evolve(state, event))]);
}

/**
 * A gate's samples: it passes when every value satisfies its expectation over its whole
 * window. The next wave waits for every gate; the first that fails halts or pauses the
 * campaign (its `onFail`). A verdict nobody waits for any more changes nothing.
 */
export function gateChecked(command: CampaignCommandOf<'GateChecked'>, state: CampaignState): CampaignDecision {
  const gate = (state.plan.gates ?? []).find((g) => g.name === command.gate);
  const gating = state.gating;
  if (!gate || !gating || gating.afterWave !== command.afterWave || gating.passed.includes(gate.name)) return accept([]);
  const passed = command.values.length > 0 && command.values.every((v) => gateHolds(gate.expect, v));
  const expect = `${gate.expect.op} ${gate.expect.value}`;
  const evaluated: CurrentCampaignEvent = {
    type: 'GateEvaluated',
    data: { campaignId: state.campaignId, afterWave: command.afterWave, gate: gate.name, expect, values: command.values, passed, onFail: gate.onFail, ...(command.detail ? { detail: command.detail } : {}) },
  };
  const after = evolve(state, evaluated);
  if (passed) return accept([evaluated, ...advance(after)]);
  const bad = command.values.find((v) => !gateHolds(gate.expect, v));
  const seen = bad === undefined || bad === null ? `no value${command.detail ? ` (${command.detail})` : ''}` : `value ${bad}`;
  const reason = `gate ${gate.name} failed after wave ${command.afterWave}: ${seen}, expected ${expect} for ${Math.round(gate.forMs / 1000)} s`;
  if (after.status !== 'running' && after.status !== 'paused' && after.status !== 'awaiting-approval') return accept([evaluated]);
  const verdict: CurrentCampaignEvent =
    gate.onFail === 'halt'
      ? { type: 'CampaignHalted', data: { campaignId: state.campaignId, reason } }
      : { type: 'CampaignPaused', data: { campaignId: state.campaignId, reason: `${reason}; resume to go on`, kind: 'gate', ms: null } };
  return accept([evaluated, verdict]);
}
