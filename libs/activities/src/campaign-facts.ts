import type { CampaignFact } from './contracts';
import type { ActivityDependencies } from './ports';
import { metadataFor } from './activity-context';

export async function recordCampaignFact(
  deps: ActivityDependencies,
  input: { campaignId: string; fact: CampaignFact; key: string; operator?: string },
): Promise<void> {
  await deps.history.recordCampaignFact(input.campaignId, input.fact, {
    idempotencyKey: input.key,
    metadata: metadataFor({ campaignId: input.campaignId, operator: input.operator }),
  });
}
