// What the routes accept: path parameters, query strings and bodies, each bounded.
import { z } from 'zod';
import { INVENTORY_LIMITS as L, inventorySchema } from '../inventory-schema';

export const REQUEST_LIMITS = {
  /** Why an operator acted: recorded in events, shown in histories. */
  reason: 1_000,
  /** A host id or name. */
  hostRef: L.name,
  campaignId: 128,
  /** The text of a spec file; the body limit bounds it first. */
  spec: 1_048_576,
  path: 4_096,
  instant: 64,
} as const;

const R = REQUEST_LIMITS;
const text = (max: number) => z.string().max(max, { error: `at most ${max.toLocaleString('en-US')} characters` });
const hostRef = text(R.hostRef).min(1);

export const hostParamsSchema = z.object({ hostId: hostRef.describe('host id or name') });
export const campaignParamsSchema = z.object({ campaignId: text(R.campaignId).min(1).describe('campaign id (the spec name)') });

export const hostListQuerySchema = z.object({
  cluster: text(L.cluster).optional(),
  drifted: z.stringbool().optional().describe('only hosts found changed out of band since Bankswitch last acted on them'),
});
export const campaignListQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(1_000).optional().describe('at most this many (default 50)') });
export const historyQuerySchema = z.object({ at: text(R.instant).optional().describe('ISO 8601 instant: the banks as they were then') });

/** Optional bodies: no body at all, or JSON null, is an empty one. */
const optionalBody = <T extends z.ZodType>(schema: T) => schema.nullish();

export const reasonBodySchema = optionalBody(z.strictObject({ reason: text(R.reason).optional().describe('why: recorded with the action') }));
export const observeBodySchema = optionalBody(
  z.strictObject({
    hosts: z.array(hostRef).max(L.hosts, { error: `at most ${L.hosts.toLocaleString('en-US')} hosts at once` }).optional().describe('host ids or names (default: every host)'),
    cluster: text(L.cluster).optional(),
  }),
);
export const retryBodySchema = optionalBody(
  z.strictObject({ hostIds: z.array(text(L.id).min(1)).max(L.hosts, { error: `at most ${L.hosts.toLocaleString('en-US')} hosts at once` }).optional().describe('the failed hosts to retry (default: all)') }),
);
export const specBodySchema = z.strictObject({
  spec: text(R.spec).min(1).describe('the campaign spec text, YAML or JSON'),
  specDir: text(R.path).optional().describe('folder a relative target.payload is resolved from (default: the API process folder)'),
});

/** Documents the import body; the application validates it (parseInventory) so that the CLI and the API give the same problems. */
export const importBodySchema = inventorySchema;
