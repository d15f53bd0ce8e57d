// Operators steering a running campaign: pause and resume, timed and manual gates between
// waves, a terminated host workflow. (Cancel mid-wave is in engine-scenarios.ts, over both drivers.)
import { setTimeout as sleep } from 'node:timers/promises';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveUpdate, campaignWorkflow, campaignWorkflowId, hostStepQuery, hostWorkflowId, pauseUpdate, progressQuery, resumeUpdate } from '@bankswitch/workflows';
import { eventTypes, startHarness, until, type Harness } from './engine-harness';

let h: Harness;


beforeAll(async () => {
  h = await startHarness({
    clusters: [
      { name: 'pause', hosts: 4 },
      { name: 'gap', hosts: 2 },
      { name: 'gate', hosts: 3 },
      { name: 'early', hosts: 2 },
      { name: 'term', hosts: 3 },
    ],
    faults: { hosts: { 'gate-esx02': { failBoot: true }, 'term-esx02': { slowRebootMs: 2_000 } } },
    rebootMs: 300,
  });
  await h.startWorker();
});
afterAll(() => h?.stop());

describe('operators steering a campaign', () => {
  it('pause stops new hosts from starting (in-flight ones finish); resume goes on to the end', async () => {
    const input = h.campaign({
      name: 'pause',
      hosts: { clusters: ['pause'] },
      strategy: { canary: 1, waves: ['100%'], maxInFlight: 1, failureBudget: 0, pauseBetweenWaves: 'none', timeouts: { reboot: '10s' } },
    });
    const handle = await h.launch(input);
    const paused = await handle.executeUpdate(pauseUpdate, { args: [{ by: 'alice', reason: 'change freeze' }] });
    expect(paused.status).toBe('paused');

    // Whatever was in flight finishes; then nothing new starts while paused.
    const settled = await until('in-flight hosts to finish', async () => {
      const p = await handle.query(progressQuery);
      return p.inFlight === 0 ? p : undefined;
    });
    const doneWhenPaused = settled.hosts.filter((x) => x.status === 'upgraded').length;
    expect(doneWhenPaused).toBeLessThan(4);
    await sleep(1_500);
    const stillPaused = await handle.query(progressQuery);
    expect(stillPaused.status).toBe('paused');
    expect(stillPaused.hosts.filter((x) => x.status !== 'pending').length).toBe(doneWhenPaused);

    // The update's validator refuses, and says why (the failure's cause carries the text).
    await expect(handle.executeUpdate(pauseUpdate, { args: [{ by: 'alice' }] })).rejects.toMatchObject({
      cause: { message: 'cannot pause a campaign that is paused' },
    });
    await handle.executeUpdate(resumeUpdate, { args: [{ by: 'bob' }] });
    const result = await handle.result();
    expect(result.status).toBe('completed');
    expect(result.hosts.every((x) => x.status === 'upgraded')).toBe(true);

    const events = await h.store.readStream(`campaign-${input.campaignId}`);
    const paused1 = events.find((e) => e.type === 'CampaignPaused')!;
    const resumed = events.find((e) => e.type === 'CampaignResumed')!;
    expect(paused1.data).toMatchObject({ reason: 'change freeze' });
    expect(paused1.metadata.operator).toBe('alice');
    expect(resumed.metadata.operator).toBe('bob');
    await h.recordHistories('pause-resume', input);
  });

  it('waits the timed pause between waves before the next wave starts', async () => {
    const input = h.campaign({
      name: 'gap',
      hosts: { clusters: ['gap'] },
      strategy: { canary: 1, waves: ['100%'], maxInFlight: 1, failureBudget: 0, pauseBetweenWaves: '2s', timeouts: { reboot: '10s' } },
    });
    const result = await (await h.launch(input)).result();
    expect(result.status).toBe('completed');
    const events = await h.store.readStream(`campaign-${input.campaignId}`);
    const canaryDone = events.find((e) => e.type === 'WaveFinished' && e.data.wave === 0)!;
    const nextStarted = events.find((e) => e.type === 'WaveStarted' && e.data.wave === 1)!;
    expect(nextStarted.recordedAt.getTime() - canaryDone.recordedAt.getTime()).toBeGreaterThanOrEqual(2_000);
  });

  it('waits for approval between waves, and a retry run does not ask again before waves already done', async () => {
    const input = h.campaign({
      name: 'gate',
      hosts: { clusters: ['gate'] },
      strategy: { canary: 1, waves: [1, 1], maxInFlight: 1, failureBudget: 1, pauseBetweenWaves: 'manual', timeouts: { reboot: '10s' } },
    });
    const handle = await h.launch(input);
    for (let approvals = 0; approvals < 2; ) {
      const progress = await handle.query(progressQuery);
      if (progress.status === 'awaiting-approval') {
        await handle.executeUpdate(approvals === 0 ? approveUpdate : resumeUpdate, { args: [{ by: 'dora' }] });
        approvals += 1;
      } else {
        await sleep(50);
      }
    }
    const result = await handle.result();
    expect(result.hosts.map((x) => [x.hostId, x.status])).toEqual([
      ['gate-esx01', 'upgraded'],
      ['gate-esx02', 'fell-back'],
      ['gate-esx03', 'upgraded'],
    ]);

    await h.fleet.admin.setHostFaults('gate-esx02', {});
    const retried = await (await h.launch({ ...input, carried: result, retry: { hostIds: ['gate-esx02'], by: 'test' } })).result();
    expect(retried.status).toBe('completed');
    expect(retried.hosts.every((x) => x.status === 'upgraded')).toBe(true);
  });

  it('records a pause sent with the launch after CampaignLaunched (the two used to race)', async () => {
    const input = h.campaign({
      name: 'early',
      hosts: { clusters: ['early'] },
      strategy: { canary: 1, waves: ['100%'], maxInFlight: 1, failureBudget: 0, pauseBetweenWaves: 'none', timeouts: { reboot: '10s' } },
    });
    // The update arrives with the start itself: the first workflow task sees both.
    const paused = await h.client.workflow.executeUpdateWithStart(pauseUpdate, {
      args: [{ by: 'eve', reason: 'hold on' }],
      startWorkflowOperation: new WithStartWorkflowOperation(campaignWorkflow, {
        taskQueue: h.taskQueue,
        workflowId: campaignWorkflowId(input.campaignId),
        args: [input],
        workflowIdConflictPolicy: 'FAIL',
      }),
    });
    expect(paused.status).toBe('paused');
    const handle = h.client.workflow.getHandle(campaignWorkflowId(input.campaignId));
    await until('the pause to be recorded', async () => ((await eventTypes(h.store, `campaign-${input.campaignId}`)).includes('CampaignPaused') ? true : undefined));
    const types = await eventTypes(h.store, `campaign-${input.campaignId}`);
    expect(types[0]).toBe('CampaignLaunched');
    expect(types.indexOf('CampaignPaused')).toBeGreaterThan(0);
    await handle.executeUpdate(resumeUpdate, { args: [{ by: 'eve' }] });
    expect((await handle.result()).status).toBe('completed');
  });

  it("calls a host whose upgrade workflow was terminated one that needs attention, and goes on (it used to stay 'running' for ever)", async () => {
    const input = {
      ...h.campaign({
        name: 'term',
        hosts: { clusters: ['term'] },
        strategy: { canary: 1, waves: ['100%'], maxInFlight: 1, failureBudget: 1, pauseBetweenWaves: 'none', timeouts: { reboot: '10s' } },
      }),
      // Host workflows are not the campaign's children: it looks up hosts silent this long (default 5 minutes).
      hostWatchMs: 1_000,
    };
    const handle = await h.launch(input);
    await until('term-esx02 to be rebooting', async () => ((await h.client.workflow.getHandle(hostWorkflowId('term-esx02')).query(hostStepQuery)) === 'rebooting' ? true : undefined));
    await h.client.workflow.getHandle(hostWorkflowId('term-esx02')).terminate('an operator terminated it in the Temporal UI');
    const result = await handle.result();
    expect(result.status).toBe('completed');
    const terminated = result.hosts.find((x) => x.hostId === 'term-esx02')!;
    expect(terminated).toMatchObject({ status: 'needs-attention', cause: 'failed' });
    expect(terminated.reason).toMatch(/its upgrade workflow host-term-esx02 ended without a result \(.*terminated/i);
    expect(terminated.settle).toMatch(/bankswitch host observe term-esx02/);
    expect(result.hosts.find((x) => x.hostId === 'term-esx03')!.status).toBe('upgraded');
    // The termination's reason is in the campaign's words (the host's workflow said nothing).
    expect(terminated.reason).toContain('terminated: an operator terminated it in the Temporal UI');
    await h.recordHistories('host-terminated', input);
  });
});
