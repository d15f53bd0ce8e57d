import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NEW_BUILD, OLD_BUILD, eventTypes, startHarness, type Harness } from './engine-harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ clusters: [{ name: 'ok-a', hosts: 2 }, { name: 'ok-b', hosts: 2 }] });
  await h.startWorker();
});
afterAll(() => h?.stop());

describe('a campaign over a healthy fleet', () => {
  it('upgrades every host: staged, booted, verified and committed, with events and projections to match', async () => {
    const input = h.campaign({
      name: 'healthy',
      hosts: { clusters: ['ok-a', 'ok-b'] },
      strategy: { canary: 1, waves: ['100%'], maxInFlight: 2, maxPerCluster: 1, failureBudget: 0, pauseBetweenWaves: 'none', timeouts: { reboot: '20s' } },
      verification: { checks: [{ name: 'vmkernel', type: 'health' }] },
    });
    const handle = await h.launch(input);
    const result = await handle.result();
    expect(result.status).toBe('completed');
    expect(result.hosts.map((host) => host.status)).toEqual(['upgraded', 'upgraded', 'upgraded', 'upgraded']);
    await h.recordHistories('healthy', input);

    for (const host of h.fleet.inventory) {
      expect(await eventTypes(h.store, `host-${host.id}`)).toEqual([
        'BankStateObserved',
        'UpgradeStarted',
        'MaintenanceModeEntered',
        'ImageStaged',
        'BankBooted',
        'BankCommitted',
        'MaintenanceModeExited',
        'UpgradeEnded',
      ]);
    }
    const campaign = await eventTypes(h.store, `campaign-${input.campaignId}`);
    expect(campaign[0]).toBe('CampaignLaunched');
    expect(campaign.at(-1)).toBe('CampaignCompleted');
    expect(campaign.filter((t) => t === 'HostStarted')).toHaveLength(4);
    expect(campaign.filter((t) => t === 'HostFinished')).toHaveLength(4);
    expect(campaign.filter((t) => t === 'WaveStarted')).toHaveLength(2);

    await h.store.projections.catchUp();
    const row = await h.records.hostBanks(h.fleet.inventory[0]!.id);
    expect(row).toMatchObject({ canRollBack: true, rollbackBuild: OLD_BUILD, lastCampaignId: input.campaignId });
    expect(row!.state.standing).toMatchObject({ state: 'upgraded', cause: 'succeeded', campaignId: input.campaignId });
    // The campaign's status is a fold of its events: it agrees with what the workflow returned.
    expect((await h.records.campaign(input.campaignId))?.state).toMatchObject({ status: 'completed', running: 0, failed: 0 });
    expect([row!.bank0Build, row!.bank1Build]).toContain(NEW_BUILD);
  });
});
