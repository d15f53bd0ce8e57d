// Bankswitch's event catalog: the host events (bank transitions and upgrade lifecycle,
// from @bankswitch/banks) in `host-<id>` streams and the campaign events (from
// @bankswitch/campaign) in `campaign-<id>` streams, each declared once with its schema
// version and upcasters. The generic event store is created with it.
import { hostEventDataSchemas, type HostEventType } from '@bankswitch/banks';
import { campaignEventDataSchemas, legacyCampaignEventDataSchemas, upcastHostUpgradeFailedV1 } from '@bankswitch/campaign';
import { createCatalog, defineEvent, streamId, type CatalogEvents, type EventDefinition } from '@bankswitch/event-store';
import type { z } from 'zod';

export const hostStream = (hostId: string): string => streamId('host', hostId);
export const campaignStream = (campaignId: string): string => streamId('campaign', campaignId);

type HostDefinitions = { [T in HostEventType]: EventDefinition<T, (typeof hostEventDataSchemas)[T]> };
const hostDefinitions = Object.fromEntries(
  Object.entries(hostEventDataSchemas).map(([type, schema]) => [type, defineEvent(type, 'host', schema as z.ZodType)]),
) as unknown as HostDefinitions;

type CampaignSchemas = typeof campaignEventDataSchemas;
type CampaignDefinitions = { [T in keyof CampaignSchemas]: EventDefinition<T, CampaignSchemas[T]> };
const campaignDefinitions = Object.fromEntries(
  Object.entries(campaignEventDataSchemas).map(([type, schema]) => [type, defineEvent(type, 'campaign', schema as z.ZodType)]),
) as unknown as CampaignDefinitions;

const legacy = legacyCampaignEventDataSchemas;
/** Written by the first engine, read for old campaigns (docs/event-store.md, "Upcasting"). */
const legacyDefinitions = {
  HostUpgradeStarted: defineEvent('HostUpgradeStarted', 'campaign', legacy.HostUpgradeStarted),
  HostUpgradeSucceeded: defineEvent('HostUpgradeSucceeded', 'campaign', legacy.HostUpgradeSucceeded),
  HostUpgradeSkipped: defineEvent('HostUpgradeSkipped', 'campaign', legacy.HostUpgradeSkipped),
  HostUpgradeFailed: defineEvent('HostUpgradeFailed', 'campaign', legacy.HostUpgradeFailed, { schemaVersion: 2, upcasters: { 1: upcastHostUpgradeFailedV1 } }),
};

export const bankswitchEventDefinitions = { ...hostDefinitions, ...campaignDefinitions, ...legacyDefinitions };
export const bankswitchCatalog = createCatalog(bankswitchEventDefinitions);
/** Any event of Bankswitch's log. */
export type BankswitchEvent = CatalogEvents<typeof bankswitchEventDefinitions>;
