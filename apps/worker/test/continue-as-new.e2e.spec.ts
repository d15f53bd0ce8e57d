// Large campaigns stay inside Temporal's history limits by continuing as new while
// hosts are in flight; children report to whichever run is current. Here the limit is
// set low so that a small fleet goes through several runs.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from './engine-harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ clusters: [{ name: 'can-a', hosts: 6 }, { name: 'can-b', hosts: 6 }], rebootMs: 50 });
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
