import { evolveAll, initialState, type CampaignEvent, type CampaignState } from '@bankswitch/campaign';
import type { EventStore } from '@bankswitch/event-store';
import { campaignStream, type BankswitchEvent } from './catalog';

export interface RecordedCampaign {
  readonly state: CampaignState;
  /** When its first event (CampaignLaunched) was recorded. */
  readonly startedAt: Date;
  readonly lastEventAt: Date;
}

/** A campaign as its events say it is (undefined when it has none): no Temporal needed. */
export async function recordedCampaign(store: EventStore<BankswitchEvent>, campaignId: string): Promise<RecordedCampaign | undefined> {
  const events = await store.readStream(campaignStream(campaignId));
  const first = events[0];
  const last = events.at(-1);
  if (!first || !last) return undefined;
  return { state: evolveAll(initialState(campaignId), events as CampaignEvent[]), startedAt: first.recordedAt, lastEventAt: last.recordedAt };
}

/** Campaign ids, newest first. */
export async function campaignIds(store: EventStore<BankswitchEvent>, options: { limit?: number } = {}): Promise<string[]> {
  const prefix = campaignStream('');
  return (await store.listStreams(prefix, options)).map((s) => s.streamId.slice(prefix.length));
}
