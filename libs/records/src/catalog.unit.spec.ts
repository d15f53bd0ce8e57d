import { BANK_EVENT_TYPES, LIFECYCLE_EVENT_TYPES } from '@bankswitch/banks';
import { campaignEventDataSchemas } from '@bankswitch/campaign';
import { describe, expect, test } from 'vitest';
import { bankswitchCatalog, bankswitchEventDefinitions } from './catalog';

describe("Bankswitch's event catalog", () => {
  test('declares every host event in host- streams and every campaign event in campaign- streams', () => {
    for (const type of [...BANK_EVENT_TYPES, ...LIFECYCLE_EVENT_TYPES]) expect(bankswitchCatalog.definitions[type]?.category).toBe('host');
    for (const type of Object.keys(campaignEventDataSchemas)) expect(bankswitchCatalog.definitions[type]?.category).toBe('campaign');
    expect(() => bankswitchCatalog.encode('campaign-c1', { type: 'ImageStaged', data: {} })).toThrow(/belongs in a host-<id> stream/);
  });

  test('reads the first engine’s HostUpgradeFailed (schema version 1) as version 2', () => {
    expect(bankswitchEventDefinitions.HostUpgradeFailed.schemaVersion).toBe(2);
    const event = bankswitchCatalog.decode('HostUpgradeFailed', 1, { campaignId: 'c', hostId: 'h', wave: 1, toBuild: 'b', error: 'no boot', bootLog: 'a\r\nb\n' });
    expect(event.data).toMatchObject({ campaignId: 'c', hostId: 'h', wave: 1, reason: 'no boot', failedStep: null, bootLog: ['a', 'b'], attempt: 1, outcome: 'failed' });
  });
});
