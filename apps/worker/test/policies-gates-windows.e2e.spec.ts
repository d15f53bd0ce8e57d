// Campaign policies (issue 15), maintenance windows and health gates, end to end against
// the real stack: windows every 10 s (croner's seconds field) that stay open 4 s, and gates
// sampled for 2 s against a real Prometheus-compatible query API (/api/v1/query) this test
// serves, answering from values the test sets.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { campaignStream } from '@bankswitch/records';
import { progressQuery, resumeUpdate } from '@bankswitch/workflows';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, testStrategy, until, type Harness } from './engine-harness';

/** A tiny Prometheus: an instant query answers a vector with the value set for it, or no series. */
function startPrometheus(): Promise<{ url: string; values: Map<string, number>; asked: string[]; close(): Promise<void> }> {
  const values = new Map<string, number>();
  const asked: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/api/v1/query') {
      res.writeHead(404).end();
      return;
    }
    const query = url.searchParams.get('query') ?? '';
    asked.push(query);
    const value = values.get(query);
    const result = value === undefined ? [] : [{ metric: { __name__: query }, value: [Date.now() / 1000, String(value)] }];
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result } }));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, values, asked, close: () => new Promise((done) => server.close(() => done())) }),
    ),
  );
}

describe('campaign policies, end to end: maintenance windows and health gates', () => {
  let h: Harness;
  let prometheus: Awaited<ReturnType<typeof startPrometheus>>;
  beforeAll(async () => {
    prometheus = await startPrometheus();
    h = await startHarness({ clusters: [{ name: 'pol-win', hosts: 3 }, { name: 'pol-gate', hosts: 6 }], rebootMs: 150 });
    await h.startWorker();
  });
  afterAll(async () => {
    await h?.stop();
    await prometheus?.close();
  });

  it('starts hosts only inside a window, says when the next one opens while waiting', async () => {
    // Launch just after a window closed (windows open at :00, :10, … for 4 s), so the campaign waits first.
    await until('a closed window', () => Promise.resolve(Math.floor(Date.now() / 1000) % 10 === 5 ? true : undefined), 15_000);
    const input = h.campaign({
      name: 'windows',
      hosts: { clusters: ['pol-win'] },
      strategy: testStrategy({ maxInFlight: 1 }),
      windows: [{ cron: '*/10 * * * * *', duration: '4s', timezone: 'Europe/Berlin' }],
    });
    const handle = await h.launch(input);
    const waiting = await until('waiting for window', async () => {
      const p = await handle.query(progressQuery);
      return p.waitingFor?.startsWith('waiting for window (opens') ? p : undefined;
    });
    expect(waiting.waitingFor).toMatch(/^waiting for window \(opens \d{4}-\d\d-\d\dT\d\d:\d\d:\d0\.000Z\)$/);
    expect(waiting.inFlight).toBe(0);
    const result = await handle.result();
    expect(result.status).toBe('completed');
    expect(result.hosts.map((x) => x.status)).toEqual(['upgraded', 'upgraded', 'upgraded']);

    const events = await h.store.readStream(campaignStream(input.campaignId));
    let open: { closesAt: string } | undefined;
    let firstOpens: string | null = null;
    for (const e of events) {
      if (e.type === 'WindowOpened') open = e.data;
      if (e.type === 'WindowClosed') {
        open = undefined;
        firstOpens ??= e.data.opensAt;
      }
      // Every host was handed over while a window was open, decided before it closed.
      if (e.type === 'HostStarted') expect(open, `${e.data.hostId} started outside a window`).toBeDefined();
    }
    expect(firstOpens).not.toBeNull();
    const started = events.filter((e) => e.type === 'HostStarted');
    expect(started[0]!.recordedAt.getTime()).toBeGreaterThanOrEqual(Date.parse(firstOpens!));
    expect(events.filter((e) => e.type === 'WindowOpened').length).toBeGreaterThanOrEqual(1);
    await h.recordHistories('windows', input);
  });

  const gate = (onFail: 'halt' | 'pause', query: string) => ({ name: 'error-rate', prometheus: { url: prometheus.url, query }, expect: '< 0.01', for: '2s', onFail });
  const gated = (name: string, hosts: string[], onFail: 'halt' | 'pause', query: string) =>
    h.campaign({ name, hosts: { names: hosts }, strategy: testStrategy({ maxInFlight: 2, failureBudget: 0 }), gates: [gate(onFail, query)] });

  it('a gate that holds for its whole window lets the next wave start; its values are recorded', async () => {
    prometheus.values.set('errors_pass', 0.001);
    const input = gated('gate-pass', ['pol-gate-esx01', 'pol-gate-esx02'], 'halt', 'errors_pass');
    const result = await (await h.launch(input)).result();
    expect(result.status).toBe('completed');
    const events = await h.store.readStream(campaignStream(input.campaignId));
    const verdicts = events.flatMap((e) => (e.type === 'GateEvaluated' ? [e.data] : []));
    // Sampled at 0, 1 and 2 s: three values from the real endpoint.
    expect(verdicts).toEqual([{ campaignId: input.campaignId, afterWave: 0, gate: 'error-rate', expect: '< 0.01', values: [0.001, 0.001, 0.001], passed: true, onFail: 'halt' }]);
    expect(prometheus.asked.filter((q) => q === 'errors_pass')).toHaveLength(3);
    const types = events.map((e) => e.type);
    expect(types.indexOf('GateEvaluated')).toBeLessThan(types.lastIndexOf('WaveStarted'));
  });

  it('a failing halt gate halts the campaign after the canary, recording the value seen', async () => {
    prometheus.values.set('errors_halt', 0.5);
    const input = gated('gate-halt', ['pol-gate-esx03', 'pol-gate-esx04'], 'halt', 'errors_halt');
    const result = await (await h.launch(input)).result();
    expect(result).toMatchObject({ status: 'halted', haltReason: 'gate error-rate failed after wave 0: value 0.5, expected < 0.01 for 2 s' });
    expect(result.hosts.map((x) => x.status)).toEqual(['upgraded', 'pending']);
    const verdict = (await h.store.readStream(campaignStream(input.campaignId))).find((e) => e.type === 'GateEvaluated');
    expect(verdict?.data).toMatchObject({ values: [0.5], passed: false, onFail: 'halt' });
  });

  it('a failing pause gate pauses the campaign; an operator resumes it', async () => {
    const input = gated('gate-pause', ['pol-gate-esx05', 'pol-gate-esx06'], 'pause', 'errors_pause'); // no series: the gate reads no value
    const handle = await h.launch(input);
    const paused = await until('paused by the gate', async () => {
      const p = await handle.query(progressQuery);
      return p.status === 'paused' ? p : undefined;
    });
    expect(paused.pauseReason).toBe('gate error-rate failed after wave 0: no value (the query returned no series), expected < 0.01 for 2 s; resume to go on');
    await handle.executeUpdate(resumeUpdate, { args: [{ by: 'test' }] });
    const result = await handle.result();
    expect(result.status).toBe('completed');
    expect(result.hosts.map((x) => x.status)).toEqual(['upgraded', 'upgraded']);
    await h.recordHistories('gate-pause', input);
  });
});
