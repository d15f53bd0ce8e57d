// Large campaigns stay inside Temporal's history limits by continuing as new while
// hosts are in flight; hosts report to whichever run is current. Here the limit is
// set low so that a small fleet goes through several runs.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from './engine-harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ clusters: [{ name: 'can-a', hosts: 6 }, { name: 'can-b', hosts: 6 }, { name: 'can-busy', hosts: 40 }], rebootMs: 50 });
  await h.startWorker();
});
afterAll(() => h?.stop());

it('continues as new mid-wave with hosts in flight, loses no report and records every fact once', async () => {
  const input = {
    ...h.campaign({
      name: 'continue-as-new',
      hosts: { clusters: ['can-a', 'can-b'] },
      strategy: { canary: 1, waves: [3, '100%'], maxInFlight: 3, maxPerCluster: 2, failureBudget: 0, pauseBetweenWaves: 'none', timeouts: { reboot: '20s' } },
    }),
    continueAsNewAfterEvents: 40,
  };
  const handle = await h.launch(input);
  const result = await handle.result();
  expect(result.status).toBe('completed');
  expect(result.hosts.map((x) => x.status)).toEqual(Array(12).fill('upgraded'));

  // Several runs happened: the handle followed the chain to the last one.
  const runs = [];
  for await (const execution of h.client.workflow.list({ query: `WorkflowId = '${handle.workflowId}'` })) runs.push(execution.runId);
  expect(runs.length).toBeGreaterThan(2);

  const types = (await h.store.readStream(`campaign-${input.campaignId}`)).map((e) => e.type);
  const count = (type: string) => types.filter((t) => t === type).length;
  expect([count('CampaignLaunched'), count('WaveStarted'), count('WaveFinished'), count('HostStarted'), count('HostFinished'), count('CampaignCompleted')]).toEqual([1, 3, 3, 12, 12, 1]);
  expect((await h.store.verifyStream(`campaign-${input.campaignId}`)).ok).toBe(true);
});

it('continues as new while hosts report all the time: every run stays near the limit, none is cut off; a wave starts its hosts together', async () => {
  // 40 hosts, 30 at a time, reboots of 50 ms: reports arrive faster than the campaign
  // appends, so its outbox is never empty. Runs used to continue as new only with an
  // empty outbox: this campaign kept one run until Temporal's history limit ended it.
  // They also started hosts one after the other, a workflow task each, then 20 children at
  // once; now an activity starts a chunk of hosts through the client. Ends come from the
  // log, many per workflow task, so the history grows more slowly than it did with one
  // signal per host: the limit is set low enough for three runs at least.
  const limit = 20;
  const input = {
    ...h.campaign({
      name: 'continue-as-new-busy',
      hosts: { clusters: ['can-busy'] },
      strategy: { canary: 1, waves: ['100%'], maxInFlight: 30, failureBudget: 0, pauseBetweenWaves: 'none', timeouts: { reboot: '20s' } },
    }),
    continueAsNewAfterEvents: limit,
  };
  const handle = await h.launch(input);
  const result = await handle.result();
  expect(result.status).toBe('completed');
  expect(result.hosts.map((x) => x.status)).toEqual(Array(40).fill('upgraded'));

  const runs: { startedAt: number; length: number; closedBy: string; appendsPastLimit: number }[] = [];
  // Hosts started by one activity: the wave after the canary starts 30 hosts together (up
  // to 50 a chunk), the rest one by one as hosts finish. No host is the campaign's child.
  let mostHostsInOneStart = 0;
  let childStarts = 0;
  for await (const execution of h.client.workflow.list({ query: `WorkflowId = '${handle.workflowId}'` })) {
    const history = await h.client.workflow.getHandle(handle.workflowId, execution.runId).fetchHistory();
    // Appends (the campaign's only activity here) scheduled once the history was past the limit.
    const appendsPastLimit = (history.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'appendCampaignEvents' && Number(e.eventId) > limit).length;
    runs.push({ startedAt: execution.startTime.getTime(), length: history.events?.length ?? 0, closedBy: execution.status.name, appendsPastLimit });
    for (const e of history.events ?? []) {
      if (e.startChildWorkflowExecutionInitiatedEventAttributes) childStarts += 1;
      const scheduled = e.activityTaskScheduledEventAttributes;
      if (scheduled?.activityType?.name !== 'startHostWorkflows') continue;
      const [start] = scheduled.input!.payloads!.map((p) => JSON.parse(Buffer.from(p.data!).toString()) as { hosts: unknown[] });
      mostHostsInOneStart = Math.max(mostHostsInOneStart, start!.hosts.length);
    }
  }
  expect([mostHostsInOneStart, childStarts]).toEqual([30, 0]);
  runs.sort((a, b) => a.startedAt - b.startedAt);
  const seen = runs.map((r) => `${r.length} (${r.closedBy})`).join(', ');
  expect(runs.length, seen).toBeGreaterThanOrEqual(3);
  expect(runs.slice(0, -1).every((r) => r.closedBy === 'CONTINUED_AS_NEW'), seen).toBe(true);
  // A run that passed the limit continues as new after the append under way at most:
  // the one that took it past, or one that started just before the check saw it.
  expect(runs.slice(0, -1).map((r) => r.appendsPastLimit <= 1), seen).not.toContain(false);

  const types = (await h.store.readStream(`campaign-${input.campaignId}`)).map((e) => e.type);
  const count = (type: string) => types.filter((t) => t === type).length;
  expect([count('CampaignLaunched'), count('HostStarted'), count('HostFinished'), count('CampaignCompleted')]).toEqual([1, 40, 40, 1]);
  expect((await h.store.verifyStream(`campaign-${input.campaignId}`)).ok).toBe(true);
});
