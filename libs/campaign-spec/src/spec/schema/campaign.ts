import { z } from 'zod';
import { hostsSchema } from './hosts';
import { atMost, SPEC_LIMITS } from './limits';
import { slug } from './primitives';
import { strategySchema } from './strategy';
import { targetSchema } from './target';
import { verificationSchema } from './verification';

/** The campaign spec file, as operators write it (YAML or JSON). */
export const campaignSpecSchema = z
  .strictObject({
    $schema: z.string().max(SPEC_LIMITS.schemaRef, atMost(SPEC_LIMITS.schemaRef)).optional().describe('Lets editors find this schema; ignored'),
    name: slug('name').describe('Campaign name, slug-like'),
    description: z.string().max(SPEC_LIMITS.description, atMost(SPEC_LIMITS.description)).optional(),
    target: targetSchema,
    hosts: hostsSchema,
    strategy: strategySchema.prefault({}),
    verification: verificationSchema.prefault({}),
  })
  .transform(({ $schema: _ignored, ...spec }) => spec)
  .meta({ title: 'Bankswitch campaign spec', description: 'An A/B boot-bank upgrade campaign for a fleet of ESXi hosts' });
