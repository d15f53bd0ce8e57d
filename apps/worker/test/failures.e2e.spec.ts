// How the engine handles hosts that do not upgrade cleanly: a bad build on the canary,
// a host that falls back by itself, one that fails its health checks, one that comes
// back too late, and retries once the cause is gone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostOutcome } from '@bankswitch/activities';
import { hostWorkflowId } from '@bankswitch/workflows';
import { NEW_BUILD, OLD_BUILD, eventTypes, startHarness, type Harness } from './engine-harness';

const BAD_BUILD = '8.0.3-0.0.99999999';
let h: Harness;

const strategy = (extra: Record<string, unknown> = {}) => ({
  canary: 1,
  waves: ['100%'],
  maxInFlight: 2,
  failureBudget: 1,
  pauseBetweenWaves: 'none',
  timeouts: { reboot: '10s' },
  ...extra,
});

beforeAll(async () => {
  h = await startHarness({
    clusters: [
      { name: 'canary', hosts: 3 },
      { name: 'fallback', hosts: 3 },
      { name: 'health', hosts: 2 },
      { name: 'slow', hosts: 2 },
      { name: 'evac', hosts: 3 },
    ],
    faults: {
      builds: { [BAD_BUILD]: { failBoot: true } },
      hosts: {
        'fallback-esx02': { failBoot: true },
        'health-esx02': { failHealth: true },
        'slow-esx02': { slowRebootMs: 3_000 },
        'evac-esx02': { failEvacuation: true },
        'evac-esx03': { evacuationMs: 5_000 },
      },
    },
  });
  await h.startWorker();
});
afterAll(() => h?.stop());

describe('hosts that do not upgrade cleanly', () => {
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

  it('records a host that fell back by itself as failed-and-safe, with the reason and the boot log', async () => {
    const input = h.campaign({ name: 'fallback', hosts: { clusters: ['fallback'] }, strategy: strategy() });
    const result = await (await h.launch(input)).result();

    expect(result.status).toBe('completed');
    const failed = result.hosts.find((x) => x.hostId === 'fallback-esx02')!;
    expect(failed.status).toBe('fell-back');
    expect(failed.reason).toMatch(/came back on bank 0, build 8\.0\.2-0\.0\.22380479: the loader fell back, the new bank 1 is INVALID/);
    expect(result.hosts.filter((x) => x.status === 'upgraded')).toHaveLength(2);

    expect(await eventTypes(h.store, 'host-fallback-esx02')).toEqual(['BankStateObserved', 'UpgradeStarted', 'MaintenanceModeEntered', 'ImageStaged', 'BootFellBack', 'MaintenanceModeExited', 'UpgradeEnded']);
    const finished = (await h.store.readStream(`campaign-${input.campaignId}`)).find((e) => e.type === 'HostFinished' && e.data.hostId === 'fallback-esx02');
    expect(finished?.data).toMatchObject({ endState: 'fell-back', cause: 'failed' });
    const ended = (await h.store.readStream('host-fallback-esx02')).find((e) => e.type === 'UpgradeEnded');
    expect(ended?.data).toMatchObject({ endState: 'fell-back', failedStep: 'boot', campaignId: input.campaignId });
    const bootLog = ended?.type === 'UpgradeEnded' ? ended.data.bootLog : [];
    expect(bootLog.join('\n')).toMatch(/panic|failed to upgrade/i);

    // Once its fault is cleared, a retry run upgrades it; the others are left alone.
    await h.fleet.admin.setHostFaults('fallback-esx02', {});
    const retried = await (await h.launch({ ...input, carried: result, retry: { hostIds: ['fallback-esx02'], by: 'test' } })).result();
    expect(retried.status).toBe('completed');
    expect(retried.hosts.map((x) => x.status)).toEqual(['upgraded', 'upgraded', 'upgraded']);
    expect((await h.driver('fallback-esx02').getState()).runningBuild).toBe(NEW_BUILD);
    const requeued = (await h.store.readStream(`campaign-${input.campaignId}`)).filter((e) => e.type === 'HostsRequeued');
    expect(requeued.map((e) => e.data)).toEqual([expect.objectContaining({ hostIds: ['fallback-esx02'] })]);
    expect(requeued[0]!.metadata.operator).toBe('test');
    await h.recordHistories('fallback-retried', input);
  });

  it('rolls back a host that fails its health checks and confirms it booted the previous image', async () => {
    const input = h.campaign({ name: 'health', hosts: { clusters: ['health'] }, strategy: strategy(), verification: { checks: [{ name: 'vmkernel', type: 'health' }] } });
    const result = await (await h.launch(input)).result();

    const failed = result.hosts.find((x) => x.hostId === 'health-esx02')!;
    expect(failed.status).toBe('rolled-back');
    expect(failed.reason).toMatch(/^verify: health check .*; rolled back: came back on bank 0, build 8\.0\.2/);
    expect(await eventTypes(h.store, 'host-health-esx02')).toEqual([
      'BankStateObserved',
      'UpgradeStarted',
      'MaintenanceModeEntered',
      'ImageStaged',
      'BankBooted',
      'BankInvalidated',
      'RolledBack',
      'BankBooted',
      'MaintenanceModeExited',
      'UpgradeEnded',
    ]);
    const state = await h.driver('health-esx02').getState();
    expect(state).toMatchObject({ bootedBank: 0, runningBuild: OLD_BUILD });
    await h.store.projections.catchUp();
    expect(await h.records.hostBanks('health-esx02')).toMatchObject({ bootedBank: 0, canRollBack: false, state: { standing: { state: 'rolled-back', cause: 'failed' } } });
    await h.recordHistories('health-rollback', input);
  });

  it('calls a host that does not come back in time one that needs attention, then settles it when it answers (it used to stay unverified, nothing decided)', async () => {
    const input = h.campaign({ name: 'slow', hosts: { clusters: ['slow'] }, strategy: strategy({ timeouts: { reboot: '1s' } }) });
    const result = await (await h.launch(input)).result();
    const slow = result.hosts.find((x) => x.hostId === 'slow-esx02')!;
    expect(slow.status).toBe('needs-attention');
    expect(slow.reason).toMatch(/did not come back within 1 s .* by itself; the host still does not answer; last recorded: bank 0 8\.0\.2\S* VALID \(booted\), bank 1 8\.0\.3\S* UPGRADING/);
    expect(slow.settle).toMatch(/bankswitch host observe slow-esx02/);

    // The host does come up, later, on the new image (DIRTY, not verified): the upgrade,
    // still watching it, rolls it back to the image it ran before and says so.
    const outcome = (await h.client.workflow.getHandle(hostWorkflowId('slow-esx02')).result()) as HostOutcome;
    expect(outcome).toMatchObject({ endState: 'rolled-back', cause: 'failed' });
    expect(outcome.reason).toMatch(/the host answered again; .*8\.0\.3\S* in bank 1 is INVALID/);
    const types = await eventTypes(h.store, 'host-slow-esx02');
    // It booted the new image late (recorded when it answered), and was rolled back.
    expect(types.slice(types.indexOf('UpgradeEnded'))).toEqual(['UpgradeEnded', 'BankBooted', 'BankInvalidated', 'RolledBack', 'BankBooted', 'MaintenanceModeExited', 'UpgradeEnded']);
    expect(await h.driver('slow-esx02').getState()).toMatchObject({ bootedBank: 0, runningBuild: OLD_BUILD });
    const ends = (await h.store.readStream('host-slow-esx02')).filter((e) => e.type === 'UpgradeEnded').map((e) => (e.type === 'UpgradeEnded' ? e.data.endState : ''));
    expect(ends).toEqual(['needs-attention', 'rolled-back']);
    await h.recordHistories('watch-settle', input);

    // A retry once the cause is gone upgrades it from the start.
    await h.fleet.admin.setHostFaults('slow-esx02', {});
    const retried = await (await h.launch({ ...input, carried: result, retry: { hostIds: ['slow-esx02'], by: 'test' } })).result();
    expect(retried.hosts.find((x) => x.hostId === 'slow-esx02')).toMatchObject({ status: 'upgraded', attempts: 2 });
    expect((await eventTypes(h.store, 'host-slow-esx02')).filter((t) => t === 'ImageStaged')).toHaveLength(2);
  });

  it('leaves a host that cannot enter maintenance mode (evacuation fails, or takes too long) untouched, with the reason; the others are upgraded in and out of it', async () => {
    const input = h.campaign({
      name: 'evac',
      hosts: { clusters: ['evac'] },
      strategy: strategy({ failureBudget: 2, maintenance: { timeout: '1s', vsanMode: 'evacuateAllData' } }),
    });
    const result = await (await h.launch(input)).result();
    expect(result.status).toBe('completed');
    expect(result.hosts.map((x) => [x.hostId, x.status, x.cause])).toEqual([
      ['evac-esx01', 'upgraded', 'succeeded'],
      ['evac-esx02', 'untouched', 'refused'],
      ['evac-esx03', 'untouched', 'refused'],
    ]);
    expect(result.hosts[1]!.reason).toMatch(/^entering-maintenance: host evac-esx02 could not enter maintenance mode: the migration of a running VM failed.*; nothing had been changed on the host$/);
    expect(result.hosts[2]!.reason).toMatch(/did not enter maintenance mode within 1 s/);
    for (const id of ['evac-esx02', 'evac-esx03']) {
      expect(await eventTypes(h.store, `host-${id}`)).toEqual(['BankStateObserved', 'UpgradeStarted', 'UpgradeEnded']);
      expect(await h.driver(id).getState()).toMatchObject({ runningBuild: OLD_BUILD, maintenanceMode: false });
    }
    const entered = (await h.store.readStream('host-evac-esx01')).find((e) => e.type === 'MaintenanceModeEntered');
    expect(entered?.data).toMatchObject({ vsanMode: 'evacuateAllData', campaignId: input.campaignId });
    expect(await h.driver('evac-esx01').getState()).toMatchObject({ runningBuild: NEW_BUILD, maintenanceMode: false });
  });
});
