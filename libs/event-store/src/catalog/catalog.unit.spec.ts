import { describe, expect, test } from 'vitest';
import { InvalidEventError, UnknownEventTypeError } from '../errors';
import { decodeEvent, encodeEvent, eventCatalog } from './catalog';

describe('event catalog', () => {
  test('every type is declared once with a schema version and upcasters for each older version', () => {
    for (const [type, definition] of Object.entries(eventCatalog)) {
      expect(definition.type).toBe(type);
      for (let v = 1; v < definition.schemaVersion; v++) expect(definition.upcasters[v]).toBeTypeOf('function');
    }
    expect(eventCatalog.HostUpgradeFailed.schemaVersion).toBe(2);
  });

  test('encode stamps the current schema version; unknown types and wrong streams are refused', () => {
    expect(encodeEvent('campaign-1', { type: 'CampaignPaused', data: { campaignId: '1', reason: 'operator asked' } })).toEqual({
      type: 'CampaignPaused',
      schemaVersion: 1,
      data: { campaignId: '1', reason: 'operator asked' },
    });
    expect(() => encodeEvent('campaign-1', { type: 'CampaignExploded', data: {} })).toThrow(UnknownEventTypeError);
    expect(() => encodeEvent('campaign-1', { type: 'toString', data: {} })).toThrow(UnknownEventTypeError);
    expect(() => encodeEvent('host-1', { type: 'CampaignPaused', data: { campaignId: '1', reason: 'x' } })).toThrow(/belongs in a campaign-<id> stream/);
    expect(() => encodeEvent('campaign-1', { type: 'CampaignPaused', data: { campaignId: '1' } })).toThrow(InvalidEventError);
    expect(() => encodeEvent('campaign-', { type: 'CampaignResumed', data: { campaignId: '1' } })).toThrow(InvalidEventError);
  });

  test('HostUpgradeFailed v1 is upcast to v2 on read', () => {
    const event = decodeEvent('HostUpgradeFailed', 1, { campaignId: 'c', hostId: 'h', wave: 1, toBuild: 'b', error: 'no boot', bootLog: 'a\r\nb\n' });
    expect(event.data).toMatchObject({ campaignId: 'c', hostId: 'h', wave: 1, toBuild: 'b', reason: 'no boot', failedStep: null, bootLog: ['a', 'b'] });
    expect(() => decodeEvent('HostUpgradeFailed', 3, {})).toThrow(/newer than this code knows/);
  });
});
