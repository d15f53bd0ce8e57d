import { describe, expect, it } from 'vitest';
import { href, parseRoute } from './router';

describe('routes', () => {
  it('reads each page from the fragment, the campaign list by default', () => {
    expect(parseRoute('')).toEqual({ page: 'campaigns' });
    expect(parseRoute('#/campaigns')).toEqual({ page: 'campaigns' });
    expect(parseRoute('#/campaigns/web-1')).toEqual({ page: 'campaign', id: 'web-1' });
    expect(parseRoute('#/hosts/east-esx01')).toEqual({ page: 'host', id: 'east-esx01' });
    expect(parseRoute('#/fleet')).toEqual({ page: 'fleet' });
    expect(parseRoute('#/nope/x/y')).toEqual({ page: 'not-found', path: '/nope/x/y' });
  });

  it('round-trips ids and fleet filters through links, however they are spelt', () => {
    expect(parseRoute(href.campaign('a b/c?d'))).toEqual({ page: 'campaign', id: 'a b/c?d' });
    expect(parseRoute(href.host('esx#1'))).toEqual({ page: 'host', id: 'esx#1' });
    const filter = { cluster: 'west', label: 'agent=1&x', drifted: true };
    expect(parseRoute(href.fleet(filter))).toEqual({ page: 'fleet', ...filter });
    expect(href.fleet({})).toBe('#/fleet');
  });
});
