// Pages are addressed by the URL's fragment (#/campaigns/<id>), so that the API keeps
// every path and a link to a page still works after a reload.
import { useSyncExternalStore } from 'react';

export interface FleetFilter {
  readonly cluster?: string;
  /** A label as key=value. */
  readonly label?: string;
  readonly drifted?: boolean;
}

export type Route =
  | { readonly page: 'campaigns' }
  | { readonly page: 'campaign'; readonly id: string }
  | { readonly page: 'host'; readonly id: string }
  | ({ readonly page: 'fleet' } & FleetFilter)
  | { readonly page: 'not-found'; readonly path: string };

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?', 2);
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const [section, id] = parts;
  if (parts.length === 0 || (parts.length === 1 && section === 'campaigns')) return { page: 'campaigns' };
  if (parts.length === 2 && section === 'campaigns' && id) return { page: 'campaign', id };
  if (parts.length === 2 && section === 'hosts' && id) return { page: 'host', id };
  if (parts.length === 1 && section === 'fleet') {
    const params = new URLSearchParams(query);
    const cluster = params.get('cluster');
    const label = params.get('label');
    return { page: 'fleet', ...(cluster ? { cluster } : {}), ...(label ? { label } : {}), ...(params.get('drifted') === '1' ? { drifted: true } : {}) };
  }
  return { page: 'not-found', path };
}

export const href = {
  campaigns: (): string => '#/campaigns',
  campaign: (id: string): string => `#/campaigns/${encodeURIComponent(id)}`,
  host: (id: string): string => `#/hosts/${encodeURIComponent(id)}`,
  fleet: (filter: FleetFilter = {}): string => {
    const params = new URLSearchParams();
    if (filter.cluster) params.set('cluster', filter.cluster);
    if (filter.label) params.set('label', filter.label);
    if (filter.drifted) params.set('drifted', '1');
    const query = params.toString();
    return `#/fleet${query ? `?${query}` : ''}`;
  },
};

const subscribe = (onChange: () => void) => {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
};

/** The current route, re-rendered on every change of the fragment. */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}
