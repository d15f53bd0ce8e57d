// The read model as Prometheus gauges, the same in the worker's and the API's /metrics:
// counted from the database when scraped (hosts by end state and in flight, campaigns
// by status, the inventory's size), at most once per `cacheMs` however many gauges or
// scrapers ask. When the database does not answer, the last counts stay and
// bankswitch_read_model_up says 0. prom-client is loaded only when this is called.
import type { Registry } from 'prom-client';
import type { FleetCounts } from '@bankswitch/records';

export interface ReadModelMetricsOptions {
  /** How long one count is reused (default 5 s): a scrape every 15 s costs one round of queries. */
  readonly cacheMs?: number;
  /** Hears why a count failed (once per failed count). */
  readonly onError?: (error: unknown) => void;
}

export async function registerReadModelMetrics(registry: Registry, counts: () => Promise<FleetCounts>, options: ReadModelMetricsOptions = {}): Promise<void> {
  const { Gauge } = await import('prom-client');
  const cacheMs = options.cacheMs ?? 5_000;
  let last: { at: number; counts: FleetCounts | undefined; up: boolean } | undefined;
  let pending: Promise<void> | undefined;
  const current = async () => {
    if (!last || Date.now() - last.at >= cacheMs) {
      pending ??= counts()
        .then((c) => void (last = { at: Date.now(), counts: c, up: true }))
        .catch((error: unknown) => {
          options.onError?.(error);
          last = { at: Date.now(), counts: last?.counts, up: false };
        })
        .finally(() => (pending = undefined));
      await pending;
    }
    return last;
  };
  const registers = [registry];
  new Gauge({
    name: 'bankswitch_hosts_by_end_state',
    help: 'Hosts by the end state their last upgrade or operator action left them in (read model host_banks).',
    labelNames: ['state'],
    registers,
    async collect() {
      const c = (await current())?.counts;
      if (c) for (const [state, n] of Object.entries(c.hostsByEndState)) this.set({ state }, n);
    },
  });
  new Gauge({
    name: 'bankswitch_hosts_in_flight',
    help: 'Hosts whose upgrade runs now, as recorded (started, not ended).',
    registers,
    async collect() {
      const c = (await current())?.counts;
      if (c) this.set(c.hostsInFlight);
    },
  });
  new Gauge({
    name: 'bankswitch_campaigns_by_state',
    help: 'Campaigns by status, folded from their events.',
    labelNames: ['state'],
    registers,
    async collect() {
      const c = (await current())?.counts;
      if (c) for (const [state, n] of Object.entries(c.campaignsByStatus)) this.set({ state }, n);
    },
  });
  new Gauge({
    name: 'bankswitch_inventory_hosts',
    help: 'Hosts in the inventory.',
    registers,
    async collect() {
      const c = (await current())?.counts;
      if (c) this.set(c.inventory);
    },
  });
  new Gauge({
    name: 'bankswitch_read_model_up',
    help: '1 when the last count of the read model succeeded, 0 when PostgreSQL did not answer (the counts above are then the last known).',
    registers,
    async collect() {
      this.set((await current())?.up ? 1 : 0);
    },
  });
}
