import { metadataFor } from './activity-context';
import type { CampaignAppend } from './contracts';
import type { ActivityDependencies } from './ports';

/**
 * Appends what the campaign decider decided, at the stream version it decided on. The
 * key is that version: a retried append (or a replayed workflow) finds it and writes
 * nothing, and a second writer would fail instead of interleaving.
 */
export async function appendCampaignEvents(deps: ActivityDependencies, input: CampaignAppend): Promise<void> {
  if (input.events.length === 0) return;
  await deps.campaigns.append(input.campaignId, input.events, {
    expectedVersion: input.expectedVersion,
    idempotencyKey: `${input.campaignId}/v${input.expectedVersion}`,
    metadata: metadataFor({ campaignId: input.campaignId, operator: input.operator }),
  });
}
