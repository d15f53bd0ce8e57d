// Replays recorded workflow histories (test/histories, from real runs of the e2e
// scenarios) against the current workflow code, bundled as the worker bundles it (with
// the tracing interceptors): a change that would break running workflows
// (non-determinism) fails here. Re-record after an intended, versioned change:
//   RECORD_HISTORIES=1 npx nx test @bankswitch/worker
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { temporal } from '@temporalio/proto';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { expect, it } from 'vitest';
import { workflowBundle } from '../src/create-worker';
import { workflowSpanSinks } from '../src/tracing';

const dir = fileURLToPath(new URL('./histories/', import.meta.url));
/** `<scenario>__<workflowId>.pb`: Temporal's binary history of one workflow run. */
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.pb')).sort();

it('has recorded histories of every scenario to replay', () => {
  const scenarios = new Set(files.map((f) => f.split('__')[0]));
  expect([...scenarios].sort()).toEqual([
    'approvals',
    'approvals-cancel',
    'bad-canary',
    'cancel',
    'commit-barrier',
    'commit-barrier-rollback',
    'fallback-retried',
    'gate-pause',
    'health-rollback',
    'healthy',
    'host-terminated',
    'host-terminated-after-continue-as-new',
    'pause-resume',
    'watch-settle',
    'windows',
  ]);
});

it('keeps campaign histories of both shapes: hosts started as children, and by activity (patch campaign-starts-hosts-by-activity)', () => {
  const byActivity = (file: string) => fs.readFileSync(path.join(dir, file)).includes('campaign-starts-hosts-by-activity');
  const campaigns = files.filter((f) => f.includes('__campaign-'));
  expect(campaigns.filter(byActivity).length).toBeGreaterThanOrEqual(4);
  expect(campaigns.filter((f) => !byActivity(f)).length).toBeGreaterThanOrEqual(10);
});

it('keeps histories of both ways a host end reaches its campaign: by signal, and in the log (patches campaign-takes-host-ends-from-log, host-end-reported-through-log)', () => {
  const has = (file: string, patch: string) => fs.readFileSync(path.join(dir, file)).includes(patch);
  const campaigns = files.filter((f) => f.includes('__campaign-'));
  expect(campaigns.filter((f) => has(f, 'campaign-takes-host-ends-from-log')).length).toBeGreaterThanOrEqual(3);
  expect(campaigns.filter((f) => has(f, 'campaign-starts-hosts-by-activity') && !has(f, 'campaign-takes-host-ends-from-log')).length).toBeGreaterThanOrEqual(3);
  const hosts = files.filter((f) => f.includes('__host-'));
  expect(hosts.filter((f) => has(f, 'host-end-reported-through-log')).length).toBeGreaterThanOrEqual(3);
  expect(hosts.filter((f) => !has(f, 'host-end-reported-through-log')).length).toBeGreaterThanOrEqual(10);
});

it('keeps host histories of both shapes: quick steps as activities, and as local activities (patch host-quick-steps-as-local-activities)', () => {
  const local = (file: string) => fs.readFileSync(path.join(dir, file)).includes('host-quick-steps-as-local-activities');
  const hosts = files.filter((f) => f.includes('__host-'));
  expect(hosts.filter(local).length).toBeGreaterThanOrEqual(5);
  expect(hosts.filter((f) => !local(f)).length).toBeGreaterThanOrEqual(10);
});

it('keeps histories of runs under each tracing rule: all traced (opentelemetry-tracing) and traced when asked (opentelemetry-tracing-when-asked)', () => {
  const marker = (file: string) => {
    const bytes = fs.readFileSync(path.join(dir, file));
    return bytes.includes('opentelemetry-tracing-when-asked') ? 'when-asked' : bytes.includes('opentelemetry-tracing') ? 'all' : 'none';
  };
  for (const kind of ['campaign-', 'host-']) {
    const markers = new Set(files.filter((f) => f.includes(`__${kind}`)).map(marker));
    expect([...markers].sort(), kind).toEqual(expect.arrayContaining(['all', 'when-asked']));
  }
});

it('replays every recorded history deterministically with the current workflow code', async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const histories = files.map((file) => ({
    workflowId: file.slice(file.indexOf('__') + 2, -'.pb'.length),
    history: temporal.api.history.v1.History.decode(fs.readFileSync(path.join(dir, file))),
  }));
  const failures: string[] = [];
  for await (const result of Worker.runReplayHistories({ workflowBundle: await workflowBundle(), sinks: workflowSpanSinks(), replayName: 'bankswitch-replay' }, histories)) {
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  expect(failures).toEqual([]);
  expect(histories.length).toBeGreaterThan(10);
}, 120_000);
