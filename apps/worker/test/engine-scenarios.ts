// The engine end to end, over one driver: the same scenarios run over the HTTP driver
// (engine-http.e2e.spec.ts) and over SSH as ESXi answers it (engine-ssh.e2e.spec.ts):
// a healthy upgrade, a host that falls back by itself, one that fails its health checks
// and is rolled back, one that comes back too late, one that hangs at boot until it is
// power-cycled, one that cannot enter maintenance mode, and a cancel while a host is
// mid-upgrade.
//
// Where the two differ, it is ESXi's doing: an ESXi host marks the bank it booted VALID
// itself as it boots (recorded as BankCommitted when the boot is), so an image that
// never passed verification is VALID there, and is rolled back all the same.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostOutcome } from '@bankswitch/activities';
import { cancelUpdate, hostStepQuery, hostWorkflowId } from '@bankswitch/workflows';
import type { FleetDriver } from '../../../tools/src/fleet/index';
import { NEW_BUILD, OLD_BUILD, eventTypes, startHarness, testStrategy as strategy, until, type Harness } from './engine-harness';



export function engineScenarios(driver: FleetDriver): void {
  const esxi = driver === 'esxi-ssh';
  /** Host ids are unique across test files (they share one database): the SSH fleet's clusters are named ssh-…. */
  const p = esxi ? 'ssh-' : '';
  /** The boot of a new image as the history records it: ESXi has marked it VALID by the time it answers. */
  const bootedNew = esxi ? ['BankBooted', 'BankCommitted'] : ['BankBooted'];
  /** A whole upgrade whose new image booted and was rolled back to the previous one. */
  const rolledBackAfterBoot = ['BankStateObserved', 'UpgradeStarted', 'MaintenanceModeEntered', 'ImageStaged', ...bootedNew, 'BankInvalidated', 'RolledBack', 'BankBooted', 'MaintenanceModeExited', 'UpgradeEnded'];
  /** Replay histories come from the HTTP runs only (the workflow code is the same). */
  const recordHistories = (h: Harness, ...args: Parameters<Harness['recordHistories']>) => (esxi ? Promise.resolve() : h.recordHistories(...args));
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({
      driver,
      clusters: [
        { name: `${p}ok`, hosts: 3 },
        { name: `${p}fallback`, hosts: 2 },
        { name: `${p}health`, hosts: 2 },
        { name: `${p}slow`, hosts: 2 },
        { name: `${p}hang`, hosts: 2 },
        { name: `${p}evac`, hosts: 3 },
        { name: `${p}cancel`, hosts: 3 },
      ],
      faults: {
        hosts: {
          [`${p}fallback-esx02`]: { failBoot: true },
          [`${p}health-esx02`]: { failHealth: true },
          [`${p}slow-esx02`]: { slowRebootMs: 3_000 },
          [`${p}hang-esx02`]: { hangOnBoot: true },
          [`${p}evac-esx02`]: { failEvacuation: true },
          [`${p}evac-esx03`]: { evacuationMs: 5_000 },
          [`${p}cancel-esx01`]: { slowRebootMs: 1_500 },
          [`${p}cancel-esx02`]: { slowRebootMs: 1_500 },
        },
      },
      rebootMs: 200,
    });
    await h.startWorker();
  });
  afterAll(() => h?.stop());

  describe(`the engine over the ${driver} driver`, () => {
    it('upgrades every host: staged, booted, verified and committed, with events and projections to match', async () => {
      const input = h.campaign({
        name: 'healthy',
        hosts: { clusters: [`${p}ok`] },
        strategy: strategy({ maxPerCluster: 2, failureBudget: 0, timeouts: { reboot: '20s' } }),
        verification: { checks: [{ name: 'vmkernel', type: 'health' }, { name: 'hostd', type: 'health' }] },
      });
      const result = await (await h.launch(input)).result();
      expect(result.status).toBe('completed');
      expect(result.hosts.map((host) => host.status)).toEqual(['upgraded', 'upgraded', 'upgraded']);
      await recordHistories(h, 'healthy', input);

      for (const id of [`${p}ok-esx01`, `${p}ok-esx02`, `${p}ok-esx03`]) {
        expect(await eventTypes(h.store, `host-${id}`)).toEqual(['BankStateObserved', 'UpgradeStarted', 'MaintenanceModeEntered', 'ImageStaged', 'BankBooted', 'BankCommitted', 'MaintenanceModeExited', 'UpgradeEnded']);
        const state = await h.driver(id).getState();
        expect(state).toMatchObject({ runningBuild: NEW_BUILD, maintenanceMode: false });
        expect(state.banks[state.bootedBank].bootCfg).toMatch(/^bootstate=0$/m);
      }
      const campaign = await eventTypes(h.store, `campaign-${input.campaignId}`);
      expect(campaign[0]).toBe('CampaignLaunched');
      expect(campaign.at(-1)).toBe('CampaignCompleted');
      expect(campaign.filter((t) => t === 'HostFinished')).toHaveLength(3);

      await h.store.projections.catchUp();
      const row = await h.records.hostBanks(`${p}ok-esx01`);
      expect(row).toMatchObject({ canRollBack: true, rollbackBuild: OLD_BUILD, lastCampaignId: input.campaignId });
      expect(row!.state.standing).toMatchObject({ state: 'upgraded', cause: 'succeeded', campaignId: input.campaignId });
      expect((await h.records.campaign(input.campaignId))?.state).toMatchObject({ status: 'completed', running: 0, failed: 0 });
    });

    it('records a host that fell back by itself as failed-and-safe, with the reason and the boot log; a retry upgrades it once the cause is gone', async () => {
      const input = h.campaign({ name: 'fallback', hosts: { clusters: [`${p}fallback`] }, strategy: strategy() });
      const result = await (await h.launch(input)).result();

      expect(result.status).toBe('completed');
      const failed = result.hosts.find((x) => x.hostId === `${p}fallback-esx02`)!;
      expect(failed.status).toBe('fell-back');
      expect(failed.reason).toMatch(/came back on bank 0, build 8\.0\.2-0\.0\.22380479: the loader fell back, the new bank 1 is INVALID/);
      expect(result.hosts.find((x) => x.hostId === `${p}fallback-esx01`)!.status).toBe('upgraded');

      expect(await eventTypes(h.store, `host-${p}fallback-esx02`)).toEqual(['BankStateObserved', 'UpgradeStarted', 'MaintenanceModeEntered', 'ImageStaged', 'BootFellBack', 'MaintenanceModeExited', 'UpgradeEnded']);
      const finished = (await h.store.readStream(`campaign-${input.campaignId}`)).find((e) => e.type === 'HostFinished' && e.data.hostId === `${p}fallback-esx02`);
      expect(finished?.data).toMatchObject({ endState: 'fell-back', cause: 'failed' });
      const ended = (await h.store.readStream(`host-${p}fallback-esx02`)).find((e) => e.type === 'UpgradeEnded');
      expect(ended?.data).toMatchObject({ endState: 'fell-back', failedStep: 'boot', campaignId: input.campaignId });
      const bootLog = ended?.type === 'UpgradeEnded' ? ended.data.bootLog : [];
      expect(bootLog.join('\n')).toMatch(/panic|failed to upgrade/i);

      await h.fleet.admin.setHostFaults(`${p}fallback-esx02`, {});
      const retried = await (await h.launch({ ...input, carried: result, retry: { hostIds: [`${p}fallback-esx02`], by: 'test' } })).result();
      expect(retried.status).toBe('completed');
      expect(retried.hosts.map((x) => x.status)).toEqual(['upgraded', 'upgraded']);
      expect((await h.driver(`${p}fallback-esx02`).getState()).runningBuild).toBe(NEW_BUILD);
      const requeued = (await h.store.readStream(`campaign-${input.campaignId}`)).filter((e) => e.type === 'HostsRequeued');
      expect(requeued.map((e) => e.data)).toEqual([expect.objectContaining({ hostIds: [`${p}fallback-esx02`] })]);
      expect(requeued[0]!.metadata.operator).toBe('test');
      await recordHistories(h, 'fallback-retried', input);
    });

    it('rolls back a host that fails its health checks and confirms it booted the previous image', async () => {
      const input = h.campaign({ name: 'health', hosts: { clusters: [`${p}health`] }, strategy: strategy(), verification: { checks: [{ name: 'vmkernel', type: 'health' }] } });
      const result = await (await h.launch(input)).result();

      const failed = result.hosts.find((x) => x.hostId === `${p}health-esx02`)!;
      expect(failed.status).toBe('rolled-back');
      expect(failed.reason).toMatch(/^verify: health check .*; rolled back: came back on bank 0, build 8\.0\.2/);
      expect(await eventTypes(h.store, `host-${p}health-esx02`)).toEqual(rolledBackAfterBoot);
      const state = await h.driver(`${p}health-esx02`).getState();
      expect(state).toMatchObject({ bootedBank: 0, runningBuild: OLD_BUILD, maintenanceMode: false });
      // What Shift+R does: the new bank INVALID, within the first 512 bytes of its boot.cfg.
      expect(state.banks[1].bootCfg?.slice(0, 512)).toMatch(/^bootstate=3$/m);
      await h.store.projections.catchUp();
      expect(await h.records.hostBanks(`${p}health-esx02`)).toMatchObject({ bootedBank: 0, canRollBack: false, state: { standing: { state: 'rolled-back', cause: 'failed' } } });
      await recordHistories(h, 'health-rollback', input);
    });

    it('calls a host that does not come back in time one that needs attention, then settles it when it answers; a retry upgrades it', async () => {
      const input = h.campaign({ name: 'slow', hosts: { clusters: [`${p}slow`] }, strategy: strategy({ timeouts: { reboot: '1s' } }) });
      const result = await (await h.launch(input)).result();
      const slow = result.hosts.find((x) => x.hostId === `${p}slow-esx02`)!;
      expect(slow.status).toBe('needs-attention');
      expect(slow.reason).toMatch(/did not come back within 1 s .* by itself; the host still does not answer; last recorded: bank 0 8\.0\.2\S* VALID \(booted\), bank 1 8\.0\.3\S* UPGRADING/);
      expect(slow.settle).toContain(`bankswitch host observe ${p}slow-esx02`);

      // The host does come up, later, on the new image (not verified: DIRTY, or VALID on
      // ESXi): the upgrade, still watching it, rolls it back to the image it ran before.
      const outcome = (await h.client.workflow.getHandle(hostWorkflowId(`${p}slow-esx02`)).result()) as HostOutcome;
      expect(outcome).toMatchObject({ endState: 'rolled-back', cause: 'failed' });
      expect(outcome.reason).toMatch(/the host answered again; .*8\.0\.3\S* in bank 1 is INVALID/);
      const types = await eventTypes(h.store, `host-${p}slow-esx02`);
      expect(types.slice(types.indexOf('UpgradeEnded'))).toEqual(['UpgradeEnded', ...bootedNew, 'BankInvalidated', 'RolledBack', 'BankBooted', 'MaintenanceModeExited', 'UpgradeEnded']);
      expect(await h.driver(`${p}slow-esx02`).getState()).toMatchObject({ bootedBank: 0, runningBuild: OLD_BUILD, maintenanceMode: false });
      await recordHistories(h, 'watch-settle', input);

      await h.fleet.admin.setHostFaults(`${p}slow-esx02`, {});
      const retried = await (await h.launch({ ...input, carried: result, retry: { hostIds: [`${p}slow-esx02`], by: 'test' } })).result();
      expect(retried.hosts.find((x) => x.hostId === `${p}slow-esx02`)).toMatchObject({ status: 'upgraded', attempts: 2 });
      expect((await eventTypes(h.store, `host-${p}slow-esx02`)).filter((t) => t === 'ImageStaged')).toHaveLength(2);
    });

    it('calls a host that hangs booting the new image one that needs attention; power-cycled, it falls back, and the upgrade that watched it says so', async () => {
      const input = h.campaign({ name: 'hang', hosts: { clusters: [`${p}hang`] }, strategy: strategy({ timeouts: { reboot: '2s' } }) });
      const result = await (await h.launch(input)).result();
      expect(result.status).toBe('completed');
      const hung = result.hosts.find((x) => x.hostId === `${p}hang-esx02`)!;
      expect(hung).toMatchObject({ status: 'needs-attention', cause: 'failed' });
      expect(hung.reason).toMatch(/did not come back within 2 s after the reboot/);
      expect(hung.settle).toMatch(/power-cycle it/);

      // At the console it hangs; the operator power-cycles it, and the loader gives up on the new image.
      await h.fleet.admin.powerCycle(`${p}hang-esx02`);
      const outcome = (await h.client.workflow.getHandle(hostWorkflowId(`${p}hang-esx02`)).result()) as HostOutcome;
      expect(outcome).toMatchObject({ endState: 'fell-back', cause: 'failed' });
      const types = await eventTypes(h.store, `host-${p}hang-esx02`);
      expect(types.slice(types.indexOf('UpgradeEnded'))).toEqual(['UpgradeEnded', 'BootFellBack', 'MaintenanceModeExited', 'UpgradeEnded']);
      expect(await h.driver(`${p}hang-esx02`).getState()).toMatchObject({ bootedBank: 0, runningBuild: OLD_BUILD, maintenanceMode: false });
    });

    it('leaves a host that cannot enter maintenance mode (evacuation fails, or takes too long) untouched, with the reason; the others are upgraded in and out of it', async () => {
      const input = h.campaign({
        name: 'evac',
        hosts: { clusters: [`${p}evac`] },
        strategy: strategy({ failureBudget: 2, maintenance: { timeout: '1s', vsanMode: 'evacuateAllData' } }),
      });
      const result = await (await h.launch(input)).result();
      expect(result.status).toBe('completed');
      expect(result.hosts.map((x) => [x.hostId, x.status, x.cause])).toEqual([
        [`${p}evac-esx01`, 'upgraded', 'succeeded'],
        [`${p}evac-esx02`, 'untouched', 'refused'],
        [`${p}evac-esx03`, 'untouched', 'refused'],
      ]);
      expect(result.hosts[1]!.reason).toMatch(/^entering-maintenance: host \S*evac-esx02 (could|did) not enter maintenance mode: .*the migration of a running VM failed.*; nothing had been changed on the host$/);
      expect(result.hosts[2]!.reason).toMatch(/did not enter maintenance mode within 1 s/);
      for (const id of [`${p}evac-esx02`, `${p}evac-esx03`]) {
        expect(await eventTypes(h.store, `host-${id}`)).toEqual(['BankStateObserved', 'UpgradeStarted', 'UpgradeEnded']);
        expect(await h.driver(id).getState()).toMatchObject({ runningBuild: OLD_BUILD, maintenanceMode: false });
      }
      const entered = (await h.store.readStream(`host-${p}evac-esx01`)).find((e) => e.type === 'MaintenanceModeEntered');
      expect(entered?.data).toMatchObject({ vsanMode: 'evacuateAllData', campaignId: input.campaignId });
      expect(await h.driver(`${p}evac-esx01`).getState()).toMatchObject({ runningBuild: NEW_BUILD, maintenanceMode: false });
    });

    it('cancel mid-wave settles the host caught mid-upgrade on its previous image, and starts no other', async () => {
      const input = h.campaign({ name: 'cancel', hosts: { clusters: [`${p}cancel`] }, strategy: strategy({ maxInFlight: 1, failureBudget: 0 }) });
      const handle = await h.launch(input);
      // The canary succeeds; wait until the next host is rebooting into its new image.
      await until('cancel-esx02 to be rebooting', async () => {
        const step = await h.client.workflow.getHandle(hostWorkflowId(`${p}cancel-esx02`)).query(hostStepQuery);
        return step === 'rebooting' ? step : undefined;
      });
      await handle.executeUpdate(cancelUpdate, { args: [{ by: 'carol', reason: 'wrong build' }] });
      const result = await handle.result();

      expect(result.status).toBe('cancelled');
      expect(result.hosts.map((x) => [x.hostId, x.status, x.cause])).toEqual([
        [`${p}cancel-esx01`, 'upgraded', 'succeeded'],
        [`${p}cancel-esx02`, 'rolled-back', 'cancelled'],
        [`${p}cancel-esx03`, 'untouched', 'cancelled'],
      ]);
      expect(result.hosts[1]!.reason).toMatch(/^cancelled during (the reboot|verification); found .*booted but (not|never) verified.*; rolled it back; now runs 8\.0\.2/);
      expect(await h.driver(`${p}cancel-esx02`).getState()).toMatchObject({ bootedBank: 0, runningBuild: OLD_BUILD, maintenanceMode: false });
      expect(await eventTypes(h.store, `host-${p}cancel-esx02`)).toEqual(rolledBackAfterBoot);
      expect(await eventTypes(h.store, `host-${p}cancel-esx03`)).toEqual([]);
      const cancelled = (await h.store.readStream(`campaign-${input.campaignId}`)).find((e) => e.type === 'CampaignCancelled')!;
      expect(cancelled.data).toMatchObject({ reason: 'wrong build' });
      expect(cancelled.metadata.operator).toBe('carol');
      await recordHistories(h, 'cancel', input);
    });
  });
}
