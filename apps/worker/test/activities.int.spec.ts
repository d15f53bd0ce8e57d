// Activities called directly, in Temporal's activity test environment, against the real
// PostgreSQL and a real simulated host: the retries Temporal makes when a worker died
// after the host acted, and commands the bank decider must refuse before the host is
// touched.
import fs from 'node:fs/promises';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities, storeCampaignLog, storeHostHistory, type BankswitchActivities } from '@bankswitch/activities';
import { decide, initialState } from '@bankswitch/campaign';
import { hostStream, type BankswitchEvent } from '@bankswitch/records';
import { OLD_BUILD, eventTypes, startHarness, type Harness } from './engine-harness';

let h: Harness;
let acts: BankswitchActivities;

beforeAll(async () => {
  h = await startHarness({ clusters: [{ name: 'act', hosts: 3 }], rebootMs: 200 });
  acts = createActivities({
    history: storeHostHistory(h.store),
    campaigns: storeCampaignLog(h.store),
    driverFor: async (hostId) => h.driver(hostId),
    readImage: (location) => fs.readFile(location),
    pollMs: 50,
    listHostIds: async () => h.fleet.inventory.map((host) => host.id),
    hostBusy: async () => false,
  });
});
afterAll(() => h?.stop());

/** Runs `body` as one attempt of one activity execution: the same activity id is the same idempotency key. */
const attemptOf = (hostId: string, activityId: string, attempt = 1) => ({
  run: <T>(body: () => Promise<T>): Promise<T> =>
    new MockActivityEnvironment({ activityId, attempt, activityType: 'test', workflowExecution: { workflowId: `host-${hostId}`, runId: 'run-1' } }).run(body) as Promise<T>,
});

describe('activities under retries', () => {
  it('a retried rollback that cannot see the host does not ask for a second one (it used to, and the host refused: no alternate image)', async () => {
    const hostId = 'act-esx01';
    const step = { hostId, campaignId: 'act', wave: 0, attempt: 1, operator: 'test' };
    const target = { build: h.image.build, sha256: h.image.sha256, payload: h.image.path };
    const pre = await attemptOf(hostId, '1').run(() => acts.precheckHost({ ...step, target, waiveUncommittedRunning: false }));
    if (pre.kind !== 'ready') throw new Error(`precheck: ${JSON.stringify(pre)}`);
    await attemptOf(hostId, '2').run(() => acts.stageImage({ ...step, target, waiveUncommittedRunning: false }));
    const { bootIdBefore } = await attemptOf(hostId, '3').run(() => acts.rebootHost({ ...step, bootId: pre.bootId, build: target.build }));
    const booted = await attemptOf(hostId, '4').run(() => acts.awaitHostBoot({ ...step, previousBootId: bootIdBefore, target, timeoutMs: 10_000, purpose: 'upgrade' }));

    await attemptOf(hostId, '5', 1).run(() => acts.rollBackHost({ ...step, reason: 'verify failed', bootId: booted.bootId }));
    await h.driver(hostId).waitUntilUp({ afterBootId: booted.bootId, timeoutMs: 10_000 });
    // The first attempt's completion was lost; Temporal runs it again, and its first look at the host fails.
    await h.fleet.admin.setHostFaults(hostId, { dropConnections: { next: 1 } });
    await attemptOf(hostId, '5', 2).run(() => acts.rollBackHost({ ...step, reason: 'verify failed', bootId: booted.bootId }));

    expect(await h.driver(hostId).getState()).toMatchObject({ bootedBank: 0, runningBuild: OLD_BUILD });
    const types = await eventTypes(h.store, `host-${hostId}`);
    expect(types.filter((t) => t === 'RolledBack')).toHaveLength(1);
  });

  it("refuses to stage over a running bank whose boot.cfg no longer reads as bootable, before anything is written (it used to write, then refuse)", async () => {
    const hostId = 'act-esx02';
    const step = { hostId, campaignId: 'act', wave: 0, attempt: 1, operator: 'test' };
    const target = { build: h.image.build, sha256: h.image.sha256, payload: h.image.path };
    await attemptOf(hostId, '1').run(() => acts.precheckHost({ ...step, target, waiveUncommittedRunning: true }));
    // After the precheck, the running bank's boot.cfg is cut short (a bad write, a full disk).
    const hostDir = path.join(h.fleet.dir, 'hosts', hostId);
    const running = path.join(hostDir, 'bank0', 'boot.cfg');
    await fs.writeFile(running, 'bootstate=0\ntitle=Loading VMw');
    const alternateBefore = await fs.readFile(path.join(hostDir, 'bank1', 'boot.cfg'), 'utf8');

    const refused = await attemptOf(hostId, '2')
      .run(() => acts.stageImage({ ...step, target, waiveUncommittedRunning: true }))
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({ type: 'BankCommandRefused', nonRetryable: true });
    expect((refused as Error).message).toMatch(/StageImage refused \(BOOTED_BANK_NOT_COMMITTED\)/);
    // Nothing was written: the other bank still holds the previous, bootable image.
    expect(await fs.readFile(path.join(hostDir, 'bank1', 'boot.cfg'), 'utf8')).toBe(alternateBefore);
    expect((await h.driver(hostId).getState()).incompleteStage).toBeNull();
    const types = await eventTypes(h.store, `host-${hostId}`);
    expect(types).not.toContain('ImageStaged');
    // What the host showed was recorded as drift before the decision.
    expect(types).toContain('DriftDetected');
  });

  it('a retried maintenance-mode entry whose first attempt got the host there records it and owns it (it used to record nothing and leave the host in maintenance mode)', async () => {
    const hostId = 'act-esx03';
    const step = { hostId, campaignId: 'act', wave: 0, attempt: 1, operator: 'test' };
    const target = { build: h.image.build, sha256: h.image.sha256, payload: h.image.path };
    const pre = await attemptOf(hostId, '1').run(() => acts.precheckHost({ ...step, target, waiveUncommittedRunning: false }));
    if (pre.kind !== 'ready') throw new Error(`precheck: ${JSON.stringify(pre)}`);
    expect(pre.maintenanceMode).toBe(false);
    // The first attempt put the host in maintenance mode; its worker died before it recorded that.
    await h.driver(hostId).setMaintenanceMode({ enable: true, timeoutMs: 10_000 });
    const retried = await attemptOf(hostId, '2', 2).run(() => acts.enterMaintenanceMode({ ...step, timeoutMs: 10_000, vsanMode: 'noAction', wasInMaintenance: pre.maintenanceMode }));
    expect(retried).toEqual({ entered: true });
    await attemptOf(hostId, '2', 3).run(() => acts.enterMaintenanceMode({ ...step, timeoutMs: 10_000, vsanMode: 'noAction', wasInMaintenance: pre.maintenanceMode }));
    expect((await eventTypes(h.store, `host-${hostId}`)).filter((t) => t === 'MaintenanceModeEntered')).toHaveLength(1);
    await attemptOf(hostId, '3').run(() => acts.exitMaintenanceMode(step));
    expect(await h.driver(hostId).getState()).toMatchObject({ maintenanceMode: false });
    // A host an operator had put there before the upgrade is not Bankswitch's to take out.
    await h.driver(hostId).setMaintenanceMode({ enable: true, timeoutMs: 10_000 });
    expect(await attemptOf(hostId, '4').run(() => acts.enterMaintenanceMode({ ...step, timeoutMs: 10_000, vsanMode: 'noAction', wasInMaintenance: true }))).toEqual({ entered: false });
  });
});

describe("the campaign's wait for its hosts' ends in the log", () => {
  type Cursor = Parameters<BankswitchActivities['awaitHostEnds']>[0]['after'];
  /** One call of the campaign's wait, as its workflow makes it. */
  const awaitEnds = (campaignId: string, after: Cursor, activityId: string, waitMs: number) =>
    new MockActivityEnvironment({ activityId, activityType: 'awaitHostEnds', workflowExecution: { workflowId: `campaign-${campaignId}`, runId: 'run-1' } }).run(() =>
      acts.awaitHostEnds({ campaignId, after, waitMs }),
    ) as ReturnType<BankswitchActivities['awaitHostEnds']>;
  /** The campaign's first events, as its workflow appends them at launch. */
  const launch = async (campaignId: string, hostIds: string[]) => {
    const launched = decide({ type: 'Launch', plan: { name: campaignId, targetBuild: h.image.build, waves: [{ kind: 'wave', hostIds }], clusters: {}, maxInFlight: hostIds.length, maxPerCluster: null, failureBudget: hostIds.length, pauseBetweenWaves: { kind: 'none' }, launchedBy: 'test' } }, initialState(campaignId));
    if (!launched.ok) throw new Error(launched.refusal.message);
    await attemptOf('none', `launch-${campaignId}`).run(() => acts.appendCampaignEvents({ campaignId, events: launched.events, expectedVersion: 0 }));
  };

  it("answers with the ends its hosts recorded since its first event, not another campaign's, and goes on from where it stopped", async () => {
    const campaignId = `ends-${Date.now()}`;
    const wait = (after: Cursor, n: number) => awaitEnds(campaignId, after, `wait-${n}`, 300);
    const target = { build: h.image.build, sha256: h.image.sha256, payload: h.image.path };
    const end = (hostId: string, forCampaign: string, attempt: number, n: number) =>
      attemptOf(hostId, `end-${campaignId}-${n}`).run(() =>
        acts.recordUpgradeEnd({
          hostId,
          campaignId: forCampaign,
          wave: 1,
          attempt,
          operator: 'test',
          target,
          outcome: { hostId, attempt, endState: 'rolled-back', cause: 'failed', reason: `verify: check ${n} failed`, failedStep: 'verify', bootLog: ['line'], settle: 'nothing to do' },
        }),
      );

    // Before the campaign has an event there is nothing to read, and no place to go on from.
    await end('act-esx03', campaignId, 1, 0);
    expect(await wait(null, 1)).toEqual({ ends: [], after: null });

    await launch(campaignId, ['act-esx01', 'act-esx02']);
    await end('act-esx01', campaignId, 1, 1);
    await end('act-esx02', `${campaignId}-other`, 1, 2);
    await end('act-esx02', campaignId, 2, 3);

    const first = await wait(null, 2);
    expect(first.ends).toEqual([
      { hostId: 'act-esx01', attempt: 1, endState: 'rolled-back', cause: 'failed', reason: 'verify: check 1 failed', failedStep: 'verify', bootLog: ['line'], settle: 'nothing to do' },
      { hostId: 'act-esx02', attempt: 2, endState: 'rolled-back', cause: 'failed', reason: 'verify: check 3 failed', failedStep: 'verify', bootLog: ['line'], settle: 'nothing to do' },
    ]);
    // From there on: nothing new (after waitMs), then only what came after.
    expect(await wait(first.after, 3)).toEqual({ ends: [], after: first.after });
    await end('act-esx03', campaignId, 1, 4);
    const next = await wait(first.after, 4);
    expect(next.ends.map((e) => [e.hostId, e.reason])).toEqual([['act-esx03', 'verify: check 4 failed']]);
  });

  it('reads on past a whole page of other hosts\' events to find an end behind it', async () => {
    const campaignId = `ends-paged-${Date.now()}`;
    await launch(campaignId, ['act-esx01']);
    // More events of another host (another campaign's) than one read takes: 1,000.
    const other: BankswitchEvent[] = Array.from({ length: 1_100 }, (_, n) => ({
      type: 'UpgradeStarted',
      data: { campaignId: `${campaignId}-other`, attempt: n + 1, fromBuild: OLD_BUILD, toBuild: h.image.build, resumeFrom: 'stage', skipped: [] },
    }));
    await h.store.appendToStream(hostStream(`paged-${campaignId}`), other, { expectedVersion: 0, metadata: {} });
    const target = { build: h.image.build, sha256: h.image.sha256, payload: h.image.path };
    await attemptOf('act-esx01', `end-${campaignId}`).run(() =>
      acts.recordUpgradeEnd({ hostId: 'act-esx01', campaignId, wave: 1, attempt: 1, operator: 'test', target, outcome: { hostId: 'act-esx01', attempt: 1, endState: 'upgraded', cause: 'succeeded', reason: '' } }),
    );

    // One read alone stops at the page, finds nothing and says there is more.
    const firstPage = await storeCampaignLog(h.store).hostEnds(campaignId, null);
    expect(firstPage).toMatchObject({ ends: [], more: true });
    // The wait reads on within its answer.
    const answer = await awaitEnds(campaignId, null, 'wait-paged', 5_000);
    expect(answer.ends.map((e) => [e.hostId, e.attempt, e.endState])).toEqual([['act-esx01', 1, 'upgraded']]);
  });
});
