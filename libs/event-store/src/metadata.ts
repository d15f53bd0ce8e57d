import { z } from 'zod';

/** Who and what caused an append; stored with every event of the append. */
export const eventMetadataSchema = z
  .object({
    campaignId: z.string().min(1),
    workflowId: z.string().min(1),
    runId: z.string().min(1),
    activity: z.string().min(1),
    operator: z.string().min(1),
    causationId: z.string().min(1),
    correlationId: z.string().min(1),
  })
  .partial()
  .strict();

export type EventMetadata = z.infer<typeof eventMetadataSchema>;
