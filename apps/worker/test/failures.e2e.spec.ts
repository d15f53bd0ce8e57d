// A bad build on the canary halts the campaign before any other host is touched. (The
// other hosts that do not upgrade cleanly are in engine-scenarios.ts, over both drivers.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OLD_BUILD, eventTypes, startHarness, testStrategy as strategy, type Harness } from './engine-harness';

const BAD_BUILD = '8.0.3-0.0.99999999';
let h: Harness;


beforeAll(async () => {
  h = await startHarness({
    clusters: [{ name: 'canary', hosts: 3 }],
    faults: { builds: { [BAD_BUILD]: { failBoot: true } } },
  });
  await h.startWorker();
});
afterAll(() => h?.stop());

describe('a bad build', () => {
  it('halts the campaign when a bad build fails the canary, before any other host is touched', async () => {
    const bad = h.makeImage(BAD_BUILD);
    const input = h.campaign({ name: 'bad-canary', target: { build: bad.build, payload: bad.path, sha256: bad.sha256 }, hosts: { clusters: ['canary'] }, strategy: strategy({ failureBudget: 5 }) });
    const result = await (await h.launch(input)).result();

    expect(result.status).toBe('halted');
    expect(result.haltReason).toMatch(/canary host canary-esx01 failed/);
    expect(result.hosts.map((x) => [x.hostId, x.status])).toEqual([
      ['canary-esx01', 'fell-back'],
      ['canary-esx02', 'pending'],
      ['canary-esx03', 'pending'],
    ]);
    for (const id of ['canary-esx02', 'canary-esx03']) {
      expect(await eventTypes(h.store, `host-${id}`)).toEqual([]);
      const state = await h.driver(id).getState();
      expect(state.runningBuild).toBe(OLD_BUILD);
      expect(state.banks[1].bootCfg).toMatch(/bootstate=0/); // the rollback image is still there
    }
    const campaign = await eventTypes(h.store, `campaign-${input.campaignId}`);
    expect(campaign).toContain('CampaignHalted');
    expect(campaign).not.toContain('WaveFinished');
    await h.recordHistories('bad-canary', input);
  });
});
