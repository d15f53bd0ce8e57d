// What a worker process and an API process show of themselves (docs/observability.md),
// after a real campaign of three hosts launched through the API (one host falls back,
// one drops its first connection): the worker's /healthz, /readyz and /metrics (the
// engine's metrics and the Temporal SDK's), the API's /readyz and /metrics, one trace
// from the API's start of the campaign through the campaign's workflow and a host's
// upgrade workflow to its activities (both processes export over OTLP/HTTP to a receiver
// started here), and the worker's JSON log lines naming the campaign, host and workflow.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type Engine } from '../../../tools/src/demo/engine';
import { workspaceRoot } from '../../../tools/src/local-stack/index';
import { stopChild } from '../../../tools/src/local-stack/stop-child';
import { until } from './engine-harness';

interface Span {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly attributes: Record<string, unknown>;
  /** service.name of the process that sent it. */
  readonly service: string;
}

/** A tiny OTLP/HTTP receiver (JSON): the spans POSTed to /v1/traces. */
async function startOtlpReceiver(): Promise<{ url: string; spans: Span[]; close(): Promise<void> }> {
  const spans: Span[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method === 'POST' && request.url === '/v1/traces') {
        type Attributes = { key: string; value: Record<string, unknown> }[] | undefined;
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          resourceSpans: { resource: { attributes?: Attributes }; scopeSpans: { spans: (Omit<Span, 'attributes' | 'service'> & { attributes?: Attributes })[] }[] }[];
        };
        const values = (attributes: Attributes) => Object.fromEntries((attributes ?? []).map((a) => [a.key, Object.values(a.value)[0]]));
        for (const resourceSpans of body.resourceSpans) {
          const service = String(values(resourceSpans.resource.attributes)['service.name']);
          for (const span of resourceSpans.scopeSpans.flatMap((s) => s.spans)) spans.push({ ...span, attributes: values(span.attributes), service });
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** The value of one sample of a Prometheus text exposition; undefined when there is none with these labels. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
  }
  return undefined;
}

/** `tsx apps/api/src/main.ts` as its own process; resolves with its URL once it listens. */
async function startApi(env: Record<string, string>, logPath: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(workspaceRoot, 'apps/api/src/main.ts')], { cwd: workspaceRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = fs.createWriteStream(logPath);
  child.stderr!.pipe(log);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the API did not listen within 60 s; see ${logPath}`)), 60_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      log.write(`${line}\n`);
      const match = /listening on (\S+)/.exec(line);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`the API exited (${code}) before it listened; see ${logPath}`)));
  });
  return { child, url };
}

const get = async (url: string) => {
  const answer = await fetch(url);
  return { status: answer.status, text: await answer.text() };
};

const HOSTS = ['obs-esx01', 'obs-esx02', 'obs-esx03'];
const FALLS_BACK = 'obs-esx03';
const DROPS_FIRST = 'obs-esx02';
const name = `obs-${Date.now().toString(36)}`;
/** Launched in process, by a client that does not trace: its workflows make no spans. */
const untraced = `obs-untraced-${Date.now().toString(36)}`;
const UNTRACED_HOST = 'obsq-esx01';
let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
let engine: Engine;
let api: { child: ChildProcess; url: string };

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  engine = await startEngine({
    databaseUrl: process.env.DATABASE_URL!,
    temporalAddress: process.env.TEMPORAL_ADDRESS!,
    clusters: [{ name: 'obs', hosts: 3 }, { name: 'obsq', hosts: 1 }],
    faults: { hosts: { [FALLS_BACK]: { failBoot: true } } },
    workerEnv: { BANKSWITCH_WORKER_HTTP_PORT: '0', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '100' },
  });
  api = await startApi({ ...engine.env, BANKSWITCH_API_PORT: '0', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '100' }, path.join(engine.dir, 'api.log'));
  const app = engine.open.app;
  await app.importHosts(fs.readFileSync(engine.fleet.inventoryPath, 'utf8'));
  const { token } = await app.createToken({ name: `obs-${Date.now().toString(36)}`, role: 'operator', by: 'observability-test' });
  // The first call to this host loses its connection: the precheck is retried, the driver error counted.
  await engine.fleet.admin.setHostFaults(DROPS_FIRST, { dropConnections: { next: 1 } });
  const launched = await fetch(`${api.url}/campaigns`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ spec: engine.spec({ name, clusters: ['obs'], waves: ['100%'], maxInFlight: 3, failureBudget: 1 }) }),
  });
  expect(launched.status).toBe(201);
  await app.launchCampaign(engine.spec({ name: untraced, clusters: ['obsq'], waves: ['100%'], maxInFlight: 1 }), { by: 'observability-test' });
  await until('the campaign to end', async () => ((await app.campaignStatus(name)).running ? undefined : true), 90_000);
  await until('the untraced campaign to end', async () => ((await app.campaignStatus(untraced)).running ? undefined : true), 90_000);
}, 180_000);

afterAll(async () => {
  if (api) await stopChild(api.child, 10_000);
  await engine?.stop();
  await receiver?.close();
});

describe('the worker process', () => {
  it('serves /healthz and /readyz on the port its start-up line names', async () => {
    expect(engine.workerHttp).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await get(`${engine.workerHttp}/healthz`)).toEqual({ status: 200, text: '{"ok":true}\n' });
    const ready = await get(`${engine.workerHttp}/readyz`);
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.text)).toEqual({ ready: true, checks: [{ name: 'worker', ok: true }, { name: 'postgresql', ok: true }] });
    expect((await get(`${engine.workerHttp}/nope`)).status).toBe(404);
  });

  it("answers /metrics with the engine's metrics of the campaign it ran, and the Temporal SDK's", async () => {
    // host_banks is projected in the background and the counts are cached for 5 s: wait for this campaign's ends.
    const text = await until(
      'the read model to count the campaign',
      async () => {
        const { status, text } = await get(`${engine.workerHttp}/metrics`);
        return status === 200 && (sample(text, 'bankswitch_hosts_by_end_state', { state: 'fell-back' }) ?? 0) >= 1 && (sample(text, 'bankswitch_hosts_by_end_state', { state: 'upgraded' }) ?? 0) >= 2
          ? text
          : undefined;
      },
      30_000,
    );
    expect(sample(text, 'bankswitch_campaigns_by_state', { state: 'completed' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'bankswitch_hosts_in_flight')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'bankswitch_inventory_hosts')).toBeGreaterThanOrEqual(3);
    expect(sample(text, 'bankswitch_read_model_up')).toBe(1);
    // This worker process ran these two campaigns only (3 hosts, one falling back, and 1): their steps are counted exactly.
    expect(sample(text, 'bankswitch_step_duration_seconds_count', { step: 'stage', outcome: 'ok' })).toBe(4);
    expect(sample(text, 'bankswitch_step_duration_seconds_count', { step: 'commit', outcome: 'ok' })).toBe(3);
    expect(sample(text, 'bankswitch_step_duration_seconds_count', { step: 'precheck', outcome: 'retryable' })).toBe(1);
    expect(sample(text, 'bankswitch_step_duration_seconds_count', { step: 'campaign-append', outcome: 'ok' })).toBeGreaterThan(0);
    expect(sample(text, 'bankswitch_steps_running', { step: 'stage' })).toBe(0);
    expect(sample(text, 'bankswitch_driver_call_seconds_count', { driver: 'http', operation: 'stageImage', outcome: 'ok' })).toBe(4);
    expect(sample(text, 'bankswitch_driver_errors_total', { driver: 'http', operation: 'getState', kind: 'unreachable' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'bankswitch_event_append_seconds_count', { stream: 'host', outcome: 'appended' })).toBeGreaterThan(0);
    expect(sample(text, 'bankswitch_event_append_seconds_count', { stream: 'campaign', outcome: 'appended' })).toBeGreaterThan(0);
    expect(sample(text, 'bankswitch_events_appended_total', { stream: 'host' })).toBeGreaterThanOrEqual(3 * 4);
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    // Temporal Core's own metrics, merged in: the activities it ran for this worker's task queue.
    expect(sample(text, 'temporal_activity_execution_latency_count', { task_queue: engine.taskQueue, activity_type: 'stageImage' })).toBe(4);
    expect(text).toMatch(/^temporal_workflow_completed\{.*\} [1-9]/m);
    // Each family once: Prometheus refuses a text that declares one twice.
    const declared = text.split('\n').filter((l) => l.startsWith('# TYPE ')).map((l) => l.split(' ')[2]);
    expect(declared.length).toBeGreaterThan(20);
    expect(new Set(declared).size).toBe(declared.length);
  });

  it('logs JSON lines that name the campaign, the host and the workflow', () => {
    const lines = fs
      .readFileSync(path.join(engine.dir, 'worker.log'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    // The dropped connection: Temporal logs the failed attempt of the precheck (WARN) with its ids.
    const failed = lines.find((l) => l.activityType === 'precheckHost' && l.hostId === DROPS_FIRST);
    expect(failed, 'a log line about the precheck that lost its connection').toMatchObject({ campaignId: name, hostId: DROPS_FIRST, workflowId: `host-${DROPS_FIRST}`, name: 'bankswitch-worker', level: 40 });
    expect(failed!.time).toMatch(/^\d{4}-\d\d-\d\dT/);
  });
});

describe('the API process', () => {
  it('answers /readyz and /metrics with the read model of the same campaigns, without a token', async () => {
    const ready = await get(`${api.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.text)).toEqual({ ready: true, checks: [{ name: 'postgresql', ok: true }, { name: 'temporal', ok: true }] });
    expect((await get(`${api.url}/hosts`)).status).toBe(401);
    const metrics = await get(`${api.url}/metrics`);
    expect(metrics.status).toBe(200);
    const text = metrics.text;
    expect(sample(text, 'bankswitch_hosts_by_end_state', { state: 'upgraded' })).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'bankswitch_hosts_by_end_state', { state: 'fell-back' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'bankswitch_campaigns_by_state', { state: 'completed' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'bankswitch_api_requests_total', { method: 'GET', route: '/hosts', status: '401' })).toBe(1);
    expect(sample(text, 'bankswitch_api_requests_total', { method: 'POST', route: '/campaigns', status: '201' })).toBe(1);
    expect(sample(text, 'bankswitch_api_request_seconds_count', { method: 'GET', route: '/readyz', status: '200' })).toBe(1);
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });
});

describe('one trace', () => {
  it('runs from the API that started the campaign through its workflow and a host workflow to the activities', async () => {
    const byId = new Map<string, Span>();
    const chainOf = (span: Span): Span[] => {
      const chain = [span];
      for (let parent = span.parentSpanId && byId.get(span.parentSpanId); parent; parent = parent.parentSpanId && byId.get(parent.parentSpanId)) chain.push(parent);
      return chain;
    };
    const stage = await until(
      "the stage activity's span, linked all the way to the client's",
      async () => {
        for (const s of receiver.spans) byId.set(s.spanId, s);
        const found = receiver.spans.find((s) => s.name === 'RunActivity:stageImage' && s.attributes.temporalWorkflowId === `host-${HOSTS[0]}`);
        return found && chainOf(found).at(-1)?.name === 'StartWorkflow:campaignWorkflow' ? found : undefined;
      },
      30_000,
    );
    const chain = chainOf(stage);
    // The campaign starts its hosts' workflows from an activity, through the worker's client.
    expect(chain.map((s) => s.name)).toEqual([
      'RunActivity:stageImage',
      'StartActivity:stageImage',
      'RunWorkflow:hostUpgradeWorkflow',
      'StartWorkflow:hostUpgradeWorkflow',
      'RunActivity:startHostWorkflows',
      'StartActivity:startHostWorkflows',
      'RunWorkflow:campaignWorkflow',
      'StartWorkflow:campaignWorkflow',
    ]);
    expect(new Set(chain.map((s) => s.traceId)).size).toBe(1);
    expect(chain.map((s) => s.service)).toEqual([...Array(7).fill('bankswitch-worker'), 'bankswitch-api']);
    expect(chain[7]!.attributes).toMatchObject({ temporalWorkflowId: `campaign-${name}` });
    // Each names what it is about.
    expect(chain[0]!.attributes).toMatchObject({ campaignId: name, hostId: HOSTS[0], temporalWorkflowId: `host-${HOSTS[0]}` });
    expect(chain[2]!.attributes).toMatchObject({ workflowId: `host-${HOSTS[0]}`, hostId: HOSTS[0], campaignId: name, workflowType: 'hostUpgradeWorkflow' });
    expect(chain[4]!.attributes).toMatchObject({ campaignId: name });
    expect(chain[6]!.attributes).toMatchObject({ workflowId: `campaign-${name}`, campaignId: name });
    // Every host's upgrade is in the same trace.
    const hostRuns = receiver.spans.filter((s) => s.name === 'RunWorkflow:hostUpgradeWorkflow' && HOSTS.some((h) => s.attributes.workflowId === `host-${h}`));
    expect(new Set(hostRuns.map((s) => s.attributes.workflowId)).size).toBe(3);
    expect(new Set(hostRuns.map((s) => s.traceId))).toEqual(new Set([stage.traceId]));
  });

  it('is not made for a campaign launched by a client that does not trace: neither its workflows nor their activities', async () => {
    // Both campaigns ended before this; the worker sends its spans every 100 ms
    // (OTEL_BSP_SCHEDULE_DELAY), and the traced campaign's arrived (the test above).
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const ids = new Set([`campaign-${untraced}`, `host-${UNTRACED_HOST}`]);
    const ofUntraced = receiver.spans.filter((s) => ids.has(String(s.attributes.workflowId)) || ids.has(String(s.attributes.temporalWorkflowId)));
    expect(ofUntraced.map((s) => s.name)).toEqual([]);
    expect((await engine.open.app.campaignStatus(untraced)).status).toBe('completed');
  });
});
