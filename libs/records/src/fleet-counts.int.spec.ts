import { expect, test } from 'vitest';
import { testRecords } from '../test/support';
import { campaignStream, hostStream, type BankswitchEvent } from './catalog';
import { fleetCounts } from './fleet-counts';

const { prisma, store, unique } = testRecords();

const launched = (campaignId: string): BankswitchEvent => ({
  type: 'CampaignLaunched',
  data: { campaignId, name: campaignId, targetBuild: '8.0.3', waves: [{ kind: 'wave', hosts: ['a', 'b'] }], failureBudget: 0, clusters: { a: 'x', b: 'x' }, maxInFlight: 1, maxPerCluster: null, pauseBetweenWaves: { kind: 'none' }, launchedBy: 'test' },
});
const started = (campaignId: string): BankswitchEvent => ({ type: 'UpgradeStarted', data: { campaignId, attempt: 1, fromBuild: '8.0.2', toBuild: '8.0.3', resumeFrom: 'stage', skipped: [] } });
const ended = (campaignId: string, endState: 'upgraded' | 'fell-back'): BankswitchEvent => ({
  type: 'UpgradeEnded',
  data: { campaignId, attempt: 1, toBuild: '8.0.3', endState, cause: endState === 'upgraded' ? 'succeeded' : 'failed', reason: '', failedStep: null, bootLog: [], settle: null },
});

test('counts hosts by the end state their last upgrade left them in, hosts in flight, and campaigns by status', async () => {
  await store.projections.catchUp();
  const before = await fleetCounts(prisma);
  const [running, paused, approval, requeued, done] = ['run-', 'pause-', 'appr-', 'requeue-', 'done-'].map((p) => unique(`fc-${p}`)) as [string, string, string, string, string];
  await store.appendToStream(campaignStream(running), [launched(running)], { expectedVersion: 0, metadata: {} });
  await store.appendToStream(campaignStream(paused), [launched(paused), { type: 'CampaignPaused', data: { campaignId: paused, reason: 'lunch', kind: 'operator', ms: null } }], { expectedVersion: 0, metadata: {} });
  await store.appendToStream(campaignStream(approval), [launched(approval), { type: 'CampaignPaused', data: { campaignId: approval, reason: 'approve wave 1', kind: 'approval', ms: null } }], { expectedVersion: 0, metadata: {} });
  // Completed, then hosts requeued: running again (the decider's rule).
  await store.appendToStream(
    campaignStream(requeued),
    [launched(requeued), { type: 'CampaignCompleted', data: { campaignId: requeued, succeeded: 1, failed: 1, skipped: 0 } }, { type: 'HostsRequeued', data: { campaignId: requeued, hostIds: ['b'], by: 'ops' } }],
    { expectedVersion: 0, metadata: {} },
  );
  await store.appendToStream(campaignStream(done), [launched(done), { type: 'CampaignCompleted', data: { campaignId: done, succeeded: 2, failed: 0, skipped: 0 } }], { expectedVersion: 0, metadata: {} });
  const [h1, h2, h3] = ['a', 'b', 'c'].map((x) => unique(`fc-host-${x}-`)) as [string, string, string];
  await store.appendToStream(hostStream(h1), [started(done), ended(done, 'upgraded')], { expectedVersion: 0, metadata: {} });
  await store.appendToStream(hostStream(h2), [started(done), ended(done, 'fell-back')], { expectedVersion: 0, metadata: {} });
  await store.appendToStream(hostStream(h3), [started(running)], { expectedVersion: 0, metadata: {} });
  await store.projections.catchUp();

  const after = await fleetCounts(prisma);
  expect(after.campaignsByStatus.running - before.campaignsByStatus.running).toBe(2);
  expect(after.campaignsByStatus.paused - before.campaignsByStatus.paused).toBe(1);
  expect(after.campaignsByStatus['awaiting-approval'] - before.campaignsByStatus['awaiting-approval']).toBe(1);
  expect(after.campaignsByStatus.completed - before.campaignsByStatus.completed).toBe(1);
  expect(after.campaignsByStatus.cancelled - before.campaignsByStatus.cancelled).toBe(0);
  expect(after.hostsByEndState.upgraded - before.hostsByEndState.upgraded).toBe(1);
  expect(after.hostsByEndState['fell-back'] - before.hostsByEndState['fell-back']).toBe(1);
  expect(after.hostsByEndState['needs-attention'] - before.hostsByEndState['needs-attention']).toBe(0);
  expect(after.hostsInFlight - before.hostsInFlight).toBe(1);
  expect(Object.keys(after.hostsByEndState).sort()).toEqual(['fell-back', 'needs-attention', 'rolled-back', 'untouched', 'upgraded']);
});
