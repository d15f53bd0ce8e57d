// The HTTP API as a `BankswitchApp`: the CLI (and any other client) speaks to the API
// exactly as it would to the application service in process, and gets the same typed
// refusals back. Who acts is the token's name, decided by the server: the `by` every
// command carries is not sent.
import type { BankswitchApp } from '@bankswitch/app';
import { ApiRefusedError, apiUnreachable, errorFromAnswer } from './errors';

export interface ApiClientOptions {
  /** The API's base URL, e.g. http://127.0.0.1:8080. */
  readonly server: string;
  /** A bearer token (`bankswitch tokens create`). */
  readonly token: string;
  /** How long one request may take before it is abandoned (default 10 minutes: a host action waits for a reboot). */
  readonly timeoutMs?: number;
}

type Method = 'GET' | 'POST';

export function createApiClient(options: ApiClientOptions): BankswitchApp {
  const base = new URL(options.server.endsWith('/') ? options.server : `${options.server}/`);
  const enc = encodeURIComponent;

  async function call<T>(method: Method, route: string, body?: unknown, query: Record<string, string | undefined> = {}): Promise<T> {
    const url = new URL(route.replace(/^\//, ''), base);
    for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, value);
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { authorization: `Bearer ${options.token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs ?? 600_000),
      });
    } catch (error) {
      throw apiUnreachable(base.origin, error);
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      throw new ApiRefusedError(`the API at ${base.origin} answered ${response.status} with something that is not JSON: is BANKSWITCH_SERVER the Bankswitch API?`);
    }
    if (!response.ok) throw errorFromAnswer(response.status, parsed, base.origin);
    return parsed as T;
  }

  return {
    importHosts: async (inventory) => call('POST', '/hosts/import', typeof inventory === 'string' ? parseInventoryText(inventory) : inventory),
    listHosts: async (filter = {}) => (await call<{ hosts: Awaited<ReturnType<BankswitchApp['listHosts']>> }>('GET', '/hosts', undefined, { cluster: filter.cluster, drifted: filter.drifted ? 'true' : undefined })).hosts,
    showHost: (host) => call('GET', `/hosts/${enc(host)}`),
    observeHosts: (o) => call('POST', '/hosts/observe', { ...(o.hosts?.length ? { hosts: o.hosts } : {}), ...(o.cluster ? { cluster: o.cluster } : {}) }),
    planCampaign: (specText) => call('POST', '/campaigns/plan', { spec: specText }),
    launchCampaign: (specText, o) => call('POST', '/campaigns', { spec: specText, ...(o.specDir ? { specDir: o.specDir } : {}) }),
    campaignTimeline: (id) => call('GET', `/campaigns/${enc(id)}/timeline`),
    campaignLaunches: async () => (await call<{ launches: Awaited<ReturnType<BankswitchApp['campaignLaunches']>> }>('GET', '/campaign-launches')).launches,
    listCampaigns: async (o = {}) => (await call<{ campaigns: Awaited<ReturnType<BankswitchApp['listCampaigns']>> }>('GET', '/campaigns', undefined, { limit: o.limit?.toString() })).campaigns,
    campaignStatus: (id) => call('GET', `/campaigns/${enc(id)}`),
    pauseCampaign: (id, o) => call('POST', `/campaigns/${enc(id)}/pause`, reason(o.reason)),
    resumeCampaign: (id, o) => call('POST', `/campaigns/${enc(id)}/resume`, reason(o.reason)),
    approveCampaign: (id) => call('POST', `/campaigns/${enc(id)}/approve`, {}),
    approveCampaignHosts: (id, o) => call('POST', `/campaigns/${enc(id)}/approve-hosts`, { ...(o.point ? { point: o.point } : {}), ...(o.hostIds?.length ? { hostIds: o.hostIds } : {}) }),
    approveHost: (host, o) => call('POST', `/hosts/${enc(host)}/approve`, o.point ? { point: o.point } : {}),
    cancelCampaign: (id, o) => call('POST', `/campaigns/${enc(id)}/cancel`, reason(o.reason)),
    retryCampaign: (id, o) => call('POST', `/campaigns/${enc(id)}/retry`, o.hostIds?.length ? { hostIds: o.hostIds } : {}),
    hostHistory: (host) => call('GET', `/hosts/${enc(host)}/history`),
    hostAt: (host, at) => call('GET', `/hosts/${enc(host)}/history`, undefined, { at: typeof at === 'string' ? at : at.toISOString() }),
    retryHost: (host) => call('POST', `/hosts/${enc(host)}/retry`, {}),
    cancelHost: (host, o) => call('POST', `/hosts/${enc(host)}/cancel`, reason(o.reason)),
    hostAction: (host, action, o) => call('POST', `/hosts/${enc(host)}/${action}`, reason(o.reason)),
    createToken: (o) => call('POST', '/tokens', { name: o.name, role: o.role }),
    revokeToken: (name) => call('POST', `/tokens/${enc(name)}/revoke`, {}),
    listTokens: async () => (await call<{ tokens: Awaited<ReturnType<BankswitchApp['listTokens']>> }>('GET', '/tokens')).tokens,
  };
}

const reason = (text: string | undefined) => (text === undefined ? {} : { reason: text });

/** The inventory file's text as JSON, so that the server gets a JSON body; a file that is not JSON is refused here, saying so. */
function parseInventoryText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ApiRefusedError(`the inventory is not valid JSON: ${(error as Error).message}; expected a JSON array of hosts ({ id, name, address, cluster, labels?, driver? })`, 'invalid-input');
  }
}
