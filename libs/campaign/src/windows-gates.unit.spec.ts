// Maintenance windows and health gates, given/when/then: the workflow reports the window
// and the gate samples; the decider starts hosts only inside a window and holds the next
// wave until the gates after the last one pass.
import { describe, expect, it } from 'vitest';
import { run, stateOf as state } from '../test/decider-steps';
import type { CampaignCommand } from './commands';
import type { CampaignEvent } from './events';
import { progressOf } from './progress';
import type { CampaignGate, CampaignPlan } from './state';

const gate = (overrides: Partial<CampaignGate> = {}): CampaignGate => ({
  name: 'error-rate',
  prometheus: { url: 'http://prom:9090', query: 'rate(errors[5m])' },
  expect: { op: '<', value: 0.01 },
  forMs: 2_000,
  onFail: 'halt',
  ...overrides,
});
const plan = (overrides: Partial<CampaignPlan> = {}): CampaignPlan => ({
  name: 'policies',
  targetBuild: '8.0.3-0.0.24022510',
  waves: [
    { kind: 'canary', hostIds: ['h1'] },
    { kind: 'wave', hostIds: ['h2', 'h3'] },
  ],
  clusters: { h1: 'a', h2: 'a', h3: 'a' },
  maxInFlight: 2,
  maxPerCluster: null,
  failureBudget: 1,
  pauseBetweenWaves: { kind: 'none' },
  launchedBy: 'alice',
  ...overrides,
});
const WINDOW = { cron: '0 22 * * 1-5', durationMs: 6 * 3_600_000, timezone: 'Europe/Berlin' };

const types = (events: readonly CampaignEvent[]) => events.map((e) => e.type);
const finish = (hostId: string): CampaignCommand => ({ type: 'HostFinished', report: { hostId, attempt: 1, endState: 'upgraded', cause: 'succeeded', reason: '' } });
const opened = (closesAt = '2026-12-01T03:00:00.000Z'): CampaignCommand => ({ type: 'WindowChecked', window: { open: true, closesAt } });
const closed = (opensAt: string | null = '2026-12-01T21:00:00.000Z'): CampaignCommand => ({ type: 'WindowChecked', window: { open: false, opensAt } });

describe('the campaign decider: maintenance windows', () => {
  it('starts no host before a window is open, and says when it opens', () => {
    const events: CampaignEvent[] = [];
    expect(types(run(events, { type: 'Launch', plan: plan({ windows: [WINDOW] }) }))).toEqual(['CampaignLaunched', 'WaveStarted']);
    // Until the workflow has asked the clock, the campaign does not know when a window opens (it is not "never").
    expect(progressOf(state(events)).waitingFor).toBe('waiting for window (finding when the next one opens)');
    expect(types(run(events, closed()))).toEqual(['WindowClosed']);
    expect(progressOf(state(events))).toMatchObject({ status: 'running', window: { open: false }, waitingFor: 'waiting for window (opens 2026-12-01T21:00:00.000Z)' });
    expect(run(events, closed())).toEqual([]);
    expect(types(run(events, opened()))).toEqual(['WindowOpened', 'HostStarted']);
    expect(progressOf(state(events)).waitingFor).toBeUndefined();
  });

  it('lets hosts in flight finish when the window closes, and starts the next ones in the next window', () => {
    const events: CampaignEvent[] = [];
    run(events, { type: 'Launch', plan: plan({ windows: [WINDOW] }) });
    run(events, opened());
    expect(types(run(events, closed()))).toEqual(['WindowClosed']);
    // The canary finishes outside the window: wave 1 starts, its hosts wait.
    expect(types(run(events, finish('h1')))).toEqual(['HostFinished', 'WaveFinished', 'WaveStarted']);
    expect(state(events).running).toBe(0);
    expect(types(run(events, opened('2026-12-02T03:00:00.000Z')))).toEqual(['WindowOpened', 'HostStarted', 'HostStarted']);
  });

  it('ignores window reports for a campaign without windows', () => {
    const events: CampaignEvent[] = [];
    expect(types(run(events, { type: 'Launch', plan: plan() }))).toEqual(['CampaignLaunched', 'WaveStarted', 'HostStarted']);
    expect(run(events, closed())).toEqual([]);
  });
});

describe('the campaign decider: health gates', () => {
  const launched = (gates: CampaignGate[], overrides: Partial<CampaignPlan> = {}) => {
    const events: CampaignEvent[] = [];
    run(events, { type: 'Launch', plan: plan({ gates, ...overrides }) });
    return events;
  };

  it('evaluates the gates after the canary and starts the next wave once every gate held', () => {
    const events = launched([gate(), gate({ name: 'latency', expect: { op: '<=', value: 200 } })]);
    const after = run(events, finish('h1'));
    expect(types(after)).toEqual(['HostFinished', 'WaveFinished', 'GatesStarted']);
    expect(progressOf(state(events)).waitingFor).toBe('waiting for gates after wave 0: error-rate, latency');
    expect(types(run(events, { type: 'GateChecked', afterWave: 0, gate: 'error-rate', values: [0.001, 0.002, 0] }))).toEqual(['GateEvaluated']);
    expect(types(run(events, { type: 'GateChecked', afterWave: 0, gate: 'latency', values: [150, 200] }))).toEqual(['GateEvaluated', 'WaveStarted', 'HostStarted', 'HostStarted']);
    expect(events.filter((e) => e.type === 'GateEvaluated').map((e) => e.data)).toEqual([
      { campaignId: 'c', afterWave: 0, gate: 'error-rate', expect: '< 0.01', values: [0.001, 0.002, 0], passed: true, onFail: 'halt' },
      { campaignId: 'c', afterWave: 0, gate: 'latency', expect: '<= 200', values: [150, 200], passed: true, onFail: 'halt' },
    ]);
    // A duplicate verdict changes nothing.
    expect(run(events, { type: 'GateChecked', afterWave: 0, gate: 'latency', values: [1] })).toEqual([]);
  });

  it('halts the campaign when a halt gate fails at any sample, recording the value seen', () => {
    const events = launched([gate()]);
    run(events, finish('h1'));
    const decided = run(events, { type: 'GateChecked', afterWave: 0, gate: 'error-rate', values: [0.001, 0.05] });
    expect(decided.map((e) => e.type)).toEqual(['GateEvaluated', 'CampaignHalted']);
    expect(decided[0]?.data).toMatchObject({ passed: false, values: [0.001, 0.05] });
    expect(state(events)).toMatchObject({ status: 'halted', haltReason: 'gate error-rate failed after wave 0: value 0.05, expected < 0.01 for 2 s' });
  });

  it('fails a gate that read no value, saying why', () => {
    const events = launched([gate()]);
    run(events, finish('h1'));
    run(events, { type: 'GateChecked', afterWave: 0, gate: 'error-rate', values: [null], detail: 'the query returned no series' });
    expect(state(events).haltReason).toBe('gate error-rate failed after wave 0: no value (the query returned no series), expected < 0.01 for 2 s');
  });

  it('pauses on a pause gate; resuming passes the gate and starts the next wave', () => {
    const events = launched([gate({ onFail: 'pause' })]);
    run(events, finish('h1'));
    expect(types(run(events, { type: 'GateChecked', afterWave: 0, gate: 'error-rate', values: [1] }))).toEqual(['GateEvaluated', 'CampaignPaused']);
    expect(progressOf(state(events))).toMatchObject({ status: 'paused', pauseReason: expect.stringContaining('gate error-rate failed after wave 0: value 1') });
    expect(types(run(events, { type: 'Resume', by: 'bob' }))).toEqual(['CampaignResumed', 'WaveStarted', 'HostStarted', 'HostStarted']);
  });

  it('runs gates before a pause between waves, and not after the last wave', () => {
    const events = launched([gate()], { pauseBetweenWaves: { kind: 'manual' } });
    run(events, finish('h1'));
    expect(types(run(events, { type: 'GateChecked', afterWave: 0, gate: 'error-rate', values: [0] }))).toEqual(['GateEvaluated', 'CampaignPaused']);
    run(events, { type: 'Approve' });
    run(events, finish('h2'));
    expect(types(run(events, finish('h3')))).toEqual(['HostFinished', 'WaveFinished', 'CampaignCompleted']);
  });
});
