import { z } from 'zod';
import { hostsSchema } from './hosts';
import { atMost, SPEC_LIMITS } from './limits';
import { slug } from './primitives';
import { strategySchema } from './strategy';
import { targetSchema } from './target';
import { verificationSchema } from './verification';
import { approvalsSchema } from './approvals';
import { commitSchema } from './commit';
import { gatesSchema, windowsSchema } from './windows-gates';

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
    windows: windowsSchema.optional(),
    gates: gatesSchema.optional(),
    approvals: approvalsSchema.prefault({}),
    commit: commitSchema,
  })
  .transform(({ $schema: _ignored, windows, gates, ...spec }) => ({ ...spec, windows: windows ?? [], gates: gates ?? [] }))
  .meta({ title: 'Bankswitch campaign spec', description: 'An A/B boot-bank upgrade campaign for a fleet of ESXi hosts' });
