// Hosts whose end the campaign learns late, or not at all: a host that needed attention
// and was settled after its campaign ended, and hosts that ended while the campaign's
// own workflow was gone. Status and retries read their ends from the hosts' histories.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBankswitchApp, type BankswitchApp } from '@bankswitch/app';
import { campaignWorkflowId, hostStepQuery, hostWorkflowId } from '@bankswitch/workflows';
import { startHarness, type Harness } from './engine-harness';

let h: Harness;
let app: BankswitchApp;

beforeAll(async () => {
  h = await startHarness({
    clusters: [
      { name: 'late', hosts: 2 },
      { name: 'orphan', hosts: 2 },
    ],
    faults: { hosts: { 'late-esx02': { hangOnBoot: true }, 'orphan-esx02': { slowRebootMs: 2_000 } } },
  });
  await h.startWorker();
  app = createBankswitchApp({ prisma: h.prisma, records: h.records, temporal: h.client, taskQueue: h.taskQueue });
});
afterAll(() => h?.stop());

const until = async <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

describe('ends the campaign learns late', () => {
  it('shows a host settled after its campaign ended with its later end (it used to keep "needs attention"); an action on a host that does not answer is refused, nothing done', async () => {
    const input = h.campaign({ name: 'late', hosts: { clusters: ['late'] }, strategy: { canary: 1, waves: ['100%'], failureBudget: 1, pauseBetweenWaves: 'none', timeouts: { reboot: '2s' } } });
    const result = await (await h.launch(input)).result();
    expect(result.hosts.find((x) => x.hostId === 'late-esx02')).toMatchObject({ status: 'needs-attention' });

    await expect(app.hostAction('late-esx02', 'observe', { by: 'olga' })).rejects.toThrow(/host late-esx02 does not answer: nothing was done\. Its upgrade \(workflow host-late-esx02\) watches it/);
    expect(await h.client.workflow.getHandle(hostWorkflowId('late-esx02')).query(hostStepQuery)).toBe('watching');

    // Power-cycled, the loader falls back; the watch settles the host; the campaign had ended.
    await h.fleet.admin.powerCycle('late-esx02');
    await h.client.workflow.getHandle(hostWorkflowId('late-esx02')).result();
    const view = await app.campaignStatus(input.campaignId);
    expect(view.progress.hosts.find((x) => x.hostId === 'late-esx02')).toMatchObject({ status: 'fell-back', reason: expect.stringMatching(/^settled after the campaign heard of it: /) });
  });

  it('a retry run of a campaign whose workflow was terminated records how its hosts ended from their histories (it used to call a finished host lost)', async () => {
    const input = h.campaign({ name: 'orphan', hosts: { clusters: ['orphan'] }, strategy: { canary: 1, waves: ['100%'], failureBudget: 0, pauseBetweenWaves: 'none', timeouts: { reboot: '20s' } } });
    await h.launch(input);
    await until('orphan-esx02 to reboot', async () => ((await h.client.workflow.getHandle(hostWorkflowId('orphan-esx02')).query(hostStepQuery)) === 'rebooting' ? true : undefined));
    await h.client.workflow.getHandle(campaignWorkflowId(input.campaignId)).terminate('terminated in the Temporal UI');
    // The host goes on and ends; its campaign never hears.
    await h.client.workflow.getHandle(hostWorkflowId('orphan-esx02')).result();
    const before = await app.campaignStatus(input.campaignId);
    expect(before).toMatchObject({ status: 'terminated', running: false });
    expect(before.note).toMatch(/campaign retry orphan/);

    const retry = await app.retryCampaign(input.campaignId, { by: 'olga' });
    expect(retry).toMatchObject({ mode: 'retry-run', hostIds: [], recorded: ['orphan-esx02'] });
    const after = await until('the retry run to end', async () => {
      const view = await app.campaignStatus(input.campaignId);
      return view.running ? undefined : view;
    });
    expect(after.status).toBe('completed');
    expect(after.progress.hosts.map((x) => [x.hostId, x.status])).toEqual([
      ['orphan-esx01', 'upgraded'],
      ['orphan-esx02', 'upgraded'],
    ]);
  });
});
