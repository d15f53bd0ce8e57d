// Host workflows started by the campaign's activity through the client (not as its
// children, patch `campaign-starts-hosts-by-activity`): a start refused because another
// operation holds the host, the start activity retried by Temporal, and the watch that
// finds a host whose workflow ended without reporting, also one started by an earlier run
// of the campaign (before a continue-as-new), which no run used to notice. The campaign's
// activities run on their own queue (patch `campaign-activities-on-own-queue`).
import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities, storeCampaignLog, storeHostHistory, type BankswitchActivities } from '@bankswitch/activities';
import { campaignActivityTaskQueue, campaignWorkflowId, hostStepQuery, hostWorkflowId } from '@bankswitch/workflows';
import { startHarness, until, type Harness } from './engine-harness';

let h: Harness;
let acts: BankswitchActivities;

beforeAll(async () => {
  h = await startHarness({ clusters: [{ name: 'gone', hosts: 2 }, { name: 'held', hosts: 2 }], rebootMs: 200 });
  await h.startWorker();
  acts = createActivities({
    history: storeHostHistory(h.store),
    campaigns: storeCampaignLog(h.store),
    driverFor: async (hostId) => h.driver(hostId),
    readImage: async () => new Uint8Array(),
    listHostIds: async () => [],
    hostBusy: async () => false,
    workflowClient: async () => h.client.workflow,
  });
});
afterAll(() => h?.stop());

/** One attempt of the activity, as Temporal would run it (a retry is attempt 2 of the same activity). */
const attempt = <T>(n: number, body: () => Promise<T>): Promise<T> =>
  new MockActivityEnvironment({ attempt: n, activityType: 'startHostWorkflows', workflowExecution: { workflowId: 'campaign-test', runId: 'run-1' } }).run(body) as Promise<T>;

/** A workflow on a task queue no worker polls: it runs (holds its id) until terminated. */
const nobodysQueue = () => `nobody-${randomUUID()}`;

describe('the start activity', () => {
  it('counts a workflow its earlier attempt started as started, running or ended; a host held by another operation is not started', async () => {
    const taskQueue = nobodysQueue();
    const [a, b] = [`start-a-${randomUUID().slice(0, 8)}`, `start-b-${randomUUID().slice(0, 8)}`];
    const start = { campaignId: 'c-idem', taskQueue, workflowType: 'hostUpgradeWorkflow', hosts: [a, b].map((hostId) => ({ hostId, workflowId: hostWorkflowId(hostId), attempt: 1, args: { hostId } })) };
    expect(await attempt(1, () => acts.startHostWorkflows(start))).toEqual([
      { hostId: a, started: true },
      { hostId: b, started: true },
    ]);
    // b's upgrade is over before the retry (a host already on target takes a second): not started twice.
    await h.client.workflow.getHandle(hostWorkflowId(b)).terminate('over');
    expect(await attempt(2, () => acts.startHostWorkflows(start))).toEqual([
      { hostId: a, started: true },
      { hostId: b, started: true },
    ]);
    const runsOf = async (id: string) => {
      let n = 0;
      for await (const _ of h.client.workflow.list({ query: `WorkflowId = '${id}'` })) n += 1;
      return n;
    };
    expect(await until('both runs to be listed', async () => ((await runsOf(hostWorkflowId(a))) + (await runsOf(hostWorkflowId(b))) === 2 ? true : undefined))).toBe(true);
    // Another campaign's start (another memo) finds the host held: not started, Temporal's words.
    const other = { ...start, campaignId: 'c-other', hosts: start.hosts.slice(0, 1) };
    expect(await attempt(1, () => acts.startHostWorkflows(other))).toEqual([{ hostId: a, started: false, error: 'Workflow execution already started' }]);
    await h.client.workflow.getHandle(hostWorkflowId(a)).terminate('test over');
  });
});

describe('the lookup activity of the watch', () => {
  it('returns the hosts whose upgrade ended without a result (terminated, gone), not one still running', async () => {
    const taskQueue = nobodysQueue();
    const [running, terminated, gone] = ['run', 'term', 'gone'].map((x) => `look-${x}-${randomUUID().slice(0, 8)}`) as [string, string, string];
    const hosts = [running, terminated, gone].map((hostId) => ({ hostId, workflowId: hostWorkflowId(hostId), attempt: 1 }));
    const start = { campaignId: 'c-look', taskQueue, workflowType: 'hostUpgradeWorkflow', hosts: hosts.slice(0, 2).map((x) => ({ ...x, args: {} })) };
    await attempt(1, () => acts.startHostWorkflows(start));
    await h.client.workflow.getHandle(hostWorkflowId(terminated)).terminate('stuck');
    const ended = await attempt(1, () => acts.findEndedHostWorkflows({ campaignId: 'c-look', workflowType: 'hostUpgradeWorkflow', hosts }));
    expect(ended.map((x) => [x.hostId, x.endState, x.reason])).toEqual([
      [terminated, 'needs-attention', `its upgrade workflow host-${terminated} ended without a result (terminated: stuck); the host's banks are as last recorded in its history`],
      [gone, 'needs-attention', `its upgrade workflow host-${gone} ended without a result (its workflow is gone); the host's banks are as last recorded in its history`],
    ]);
    await h.client.workflow.getHandle(hostWorkflowId(running)).terminate('test over');
  });
});

describe('the campaign', () => {
  it('decides a host whose workflow id another operation holds as a start that failed, in the same words as before', async () => {
    const input = h.campaign({ name: 'held', hosts: { clusters: ['held'] }, strategy: { canary: 1, waves: ['100%'], maxInFlight: 2, failureBudget: 1, pauseBetweenWaves: 'none', timeouts: { reboot: '10s' } } });
    const held = input.waves[1]!.hostIds[0]!;
    const holder = await h.client.workflow.start('hostActionWorkflow', { workflowId: hostWorkflowId(held), taskQueue: nobodysQueue(), args: [{}] });
    try {
      const result = await (await h.launch(input)).result();
      expect(result.status).toBe('completed');
      expect(result.hosts.find((x) => x.hostId === held)).toMatchObject({
        status: 'untouched',
        cause: 'failed',
        reason: `could not start its upgrade workflow host-${held}: Workflow execution already started (another operation on this host is running; wait for it or cancel it with \`bankswitch host cancel ${held}\`)`,
      });
      expect(result.hosts.find((x) => x.hostId === input.waves[0]!.hostIds[0])!.status).toBe('upgraded');
      // The campaign's own activities (appends, host starts, the wait for hosts' ends in the
      // log) went to its activity queue, where no host step can hold the slots they need.
      const { events } = await h.client.workflow.getHandle(campaignWorkflowId(input.campaignId)).fetchHistory();
      const scheduled = (events ?? []).flatMap((e) => (e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes] : []));
      expect(new Set(scheduled.map((a) => a.activityType?.name))).toEqual(new Set(['appendCampaignEvents', 'startHostWorkflows', 'awaitHostEnds']));
      expect(new Set(scheduled.map((a) => a.taskQueue?.name))).toEqual(new Set([campaignActivityTaskQueue(h.taskQueue)]));
    } finally {
      await holder.terminate('test over');
    }
  });

  it('finds a host started by an earlier run (before a continue-as-new) whose workflow was terminated, and ends', async () => {
    const input = {
      ...h.campaign({ name: 'gone', hosts: { clusters: ['gone'] }, strategy: { canary: 1, waves: ['100%'], maxInFlight: 2, failureBudget: 1, pauseBetweenWaves: 'none', timeouts: { reboot: '30s' } } }),
      // The first run continues as new as soon as it has started the canary.
      continueAsNewAfterEvents: 10,
      hostWatchMs: 1_000,
    };
    const canary = input.waves[0]!.hostIds[0]!;
    await h.fleet.admin.setHostFaults(canary, { slowRebootMs: 15_000 });
    try {
      const handle = await h.launch(input);
      await until(`${canary} to be rebooting`, async () => ((await h.client.workflow.getHandle(hostWorkflowId(canary)).query(hostStepQuery)) === 'rebooting' ? true : undefined));
      // The run that started it is over: the canary runs under a later one.
      const hostStarted = (await h.client.workflow.getHandle(hostWorkflowId(canary)).describe()).startTime.getTime();
      await until('a continue-as-new', async () => ((await h.client.workflow.getHandle(campaignWorkflowId(input.campaignId)).describe()).startTime.getTime() > hostStarted ? true : undefined));
      await h.client.workflow.getHandle(hostWorkflowId(canary)).terminate('stuck, terminated from the Temporal UI');
      const result = await handle.result();
      // A canary that did not upgrade halts the campaign; the point is that it ends.
      expect(result.status).toBe('halted');
      expect(result.hosts.find((x) => x.hostId === canary)).toMatchObject({
        status: 'needs-attention',
        cause: 'failed',
        reason: `its upgrade workflow host-${canary} ended without a result (terminated: stuck, terminated from the Temporal UI); the host's banks are as last recorded in its history`,
      });
      await h.recordHistories('host-terminated-after-continue-as-new', input);
    } finally {
      await h.fleet.admin.setHostFaults(canary, {});
    }
  });
});
