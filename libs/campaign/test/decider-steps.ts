// Given/when/then steps over the campaign decider, shared by its policy tests: the state a
// stream of events folds to, and one command run against it (accepted, its events checked
// against their schemas and appended to the stream).
import { expect } from 'vitest';
import type { CampaignCommand } from '../src/commands';
import { decide } from '../src/decide';
import { campaignEventDataSchemas, type CampaignEvent } from '../src/events';
import { evolveAll } from '../src/evolve';
import { initialState } from '../src/state';

export const stateOf = (events: readonly CampaignEvent[]) => evolveAll(initialState('c'), events);

/** Decides `command` on the events so far; throws on a refusal; appends and returns the decided events. */
export function run(events: CampaignEvent[], command: CampaignCommand): CampaignEvent[] {
  const decision = decide(command, stateOf(events));
  if (!decision.ok) throw new Error(decision.refusal.message);
  for (const e of decision.events) expect(campaignEventDataSchemas[e.type].parse(e.data)).toEqual(e.data);
  events.push(...decision.events);
  return [...decision.events];
}
