// The drift watch over hosts reached by SSH, as ESXi answers: what changes out of band
// (Shift+R at the console, a manual esxcli update, a fallback on a later reboot, another
// SSH host key) is recorded in each host's history and shown as drift; a host in the
// middle of an upgrade is left to it; the Schedule runs the same watch.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostObservation } from '@bankswitch/activities';
import { ensureDriftWatchSchedule } from '@bankswitch/app';
import { driftWatchWorkflow, hostStepQuery, hostWorkflowId, type DriftWatchResult } from '@bankswitch/workflows';
import { NEW_BUILD, eventTypes, startHarness, until, type Harness } from './engine-harness';

const HOSTS = ['drift-esx01', 'drift-esx02', 'drift-esx03', 'drift-esx04', 'drift-esx05'];
let h: Harness;
let runs = 0;

const watch = (hostIds: readonly string[] = HOSTS): Promise<DriftWatchResult> =>
  h.client.workflow.execute(driftWatchWorkflow, { taskQueue: h.taskQueue, workflowId: `drift-test-${++runs}-${h.taskQueue}`, args: [{ hostIds, by: 'test' }] });
const found = (result: DriftWatchResult, hostId: string): HostObservation | undefined => result.hosts.find((x) => x.hostId === hostId);
const driftOf = async (hostId: string) => {
  await h.store.projections.catchUp();
  return (await h.records.hostBanks(hostId))?.state.drift ?? null;
};


beforeAll(async () => {
  h = await startHarness({ driver: 'esxi-ssh', clusters: [{ name: 'drift', hosts: 5 }], faults: { hosts: { 'drift-esx05': { slowRebootMs: 2_000 } } }, rebootMs: 100 });
  await h.startWorker();
});
afterAll(() => h?.stop());

describe('the drift watch', () => {
  it('records each host at first sight as its baseline, then finds nothing changed and records nothing', async () => {
    const first = await watch();
    expect(first.counts).toEqual({ 'first-sight': 5 });
    for (const id of HOSTS) expect(await eventTypes(h.store, `host-${id}`)).toEqual(['BankStateObserved']);
    const again = await watch();
    expect(again).toEqual({ counts: { unchanged: 5 }, hosts: [] });
    for (const id of HOSTS) expect(await eventTypes(h.store, `host-${id}`)).toEqual(['BankStateObserved']);
  });

  it('records Shift+R at the console, a manual esxcli update and a fallback on a later reboot as drift, and shows it', async () => {
    // drift-esx01: an operator held Shift+R at the console; the host runs the previous image.
    await h.fleet.admin.shiftR('drift-esx01');
    // drift-esx02: someone ran `esxcli software profile update` by hand: a new image waits in /altbootbank.
    await h.driver('drift-esx02').stageImage({ build: NEW_BUILD, payload: fs.readFileSync(h.image.path), sha256: h.image.sha256 });
    // drift-esx03: the same, then a reboot whose new image panics: the loader falls back.
    await h.driver('drift-esx03').stageImage({ build: NEW_BUILD, payload: fs.readFileSync(h.image.path), sha256: h.image.sha256 });
    await h.fleet.admin.setHostFaults('drift-esx03', { failBoot: true });
    const before = await h.driver('drift-esx03').getState();
    await h.fleet.admin.powerCycle('drift-esx03');
    await until('drift-esx01 and drift-esx03 to boot again', async () => {
      const [one, three] = [await h.driver('drift-esx01').getState(), await h.driver('drift-esx03').getState()];
      return one.bootedBank === 1 && three.bootId !== before.bootId ? true : undefined;
    });

    const result = await watch();
    expect(result.counts).toEqual({ drifted: 3, unchanged: 2 });
    expect(found(result, 'drift-esx01')?.differences).toEqual(expect.arrayContaining([{ subject: 'booted bank', expected: '0', observed: '1' }]));
    expect(found(result, 'drift-esx02')?.differences).toEqual(expect.arrayContaining([{ subject: 'bank 1 build', expected: '8.0.1-0.0.21495797', observed: NEW_BUILD }, { subject: 'bank 1 bootstate', expected: 'VALID', observed: 'UPGRADING' }]));
    expect(found(result, 'drift-esx03')?.differences).toEqual(expect.arrayContaining([{ subject: 'bank 1 bootstate', expected: 'VALID', observed: 'INVALID' }]));
    for (const id of ['drift-esx01', 'drift-esx02', 'drift-esx03']) {
      expect(await eventTypes(h.store, `host-${id}`)).toEqual(['BankStateObserved', 'DriftDetected', 'BankStateObserved']);
      expect(await driftOf(id)).toEqual(found(result, id)?.differences);
    }
    const drifted = (await h.store.readStream('host-drift-esx01')).find((e) => e.type === 'DriftDetected');
    expect(drifted?.metadata.operator).toBe('test');
    expect(await driftOf('drift-esx04')).toBeNull();
    // A second look finds the history agreeing with the host: nothing more is recorded.
    expect((await watch(['drift-esx01', 'drift-esx02', 'drift-esx03'])).counts).toEqual({ unchanged: 3 });
    await h.fleet.admin.setHostFaults('drift-esx03', {});
  });

  it('refuses a host that presents another SSH key, records it once, and reads nothing from it', async () => {
    // drift-esx04 was reinstalled (or another machine took its address): a new host key.
    fs.rmSync(path.join(h.fleet.dir, 'hosts', 'drift-esx04', 'ssh_host_ecdsa_key'));
    await h.fleet.admin.powerCycle('drift-esx04');
    const result = await until('drift-esx04 to answer with its new key', async () => {
      const r = await watch(['drift-esx04']);
      return found(r, 'drift-esx04')?.outcome === 'key-mismatch' ? r : undefined;
    });
    const mismatch = found(result, 'drift-esx04')!;
    expect(mismatch.differences).toEqual([{ subject: 'ssh host key', expected: expect.stringMatching(/^SHA256:/), observed: expect.stringMatching(/^SHA256:/) }]);
    expect(mismatch.detail).toMatch(/presented SSH host key SHA256:\S+, but the inventory pins SHA256:\S+: nothing was sent to it/);
    await watch(['drift-esx04']);
    expect(await eventTypes(h.store, 'host-drift-esx04')).toEqual(['BankStateObserved', 'HostKeyMismatch']);
    expect(await driftOf('drift-esx04')).toEqual(mismatch.differences);
  });

  it('leaves a host in the middle of its upgrade to it, and finds nothing changed once the upgrade recorded what it did', async () => {
    const input = h.campaign({ name: 'drift-busy', hosts: { names: ['drift-esx05'] }, strategy: { canary: 1, waves: ['100%'], maxInFlight: 1, failureBudget: 0, pauseBetweenWaves: 'none', timeouts: { reboot: '20s' } } });
    const campaign = await h.launch(input);
    await until('drift-esx05 to be rebooting', async () => ((await h.client.workflow.getHandle(hostWorkflowId('drift-esx05')).query(hostStepQuery)) === 'rebooting' ? true : undefined));
    const during = await watch(['drift-esx05']);
    expect(found(during, 'drift-esx05')).toMatchObject({ outcome: 'busy' });
    expect((await campaign.result()).hosts[0]).toMatchObject({ hostId: 'drift-esx05', status: 'upgraded' });
    expect((await watch(['drift-esx05'])).counts).toEqual({ unchanged: 1 });
    expect(await eventTypes(h.store, 'host-drift-esx05')).not.toContain('DriftDetected');
  });

  it('runs on a Temporal Schedule, kept as configured: created, left alone, its interval updated, removed', async () => {
    const scheduleId = `drift-watch-test-${h.taskQueue}`;
    const keep = (everyMs: number | null) => ensureDriftWatchSchedule(h.client, { taskQueue: h.taskQueue, everyMs, scheduleId, hostIds: ['drift-esx02'] });
    expect(await keep(3_600_000)).toBe('created');
    expect(await keep(3_600_000)).toBe('unchanged');
    const schedule = h.client.schedule.getHandle(scheduleId);
    await schedule.trigger();
    const started = await until('the scheduled run to start', async () => (await schedule.describe()).info.recentActions[0]?.action.workflow.workflowId);
    const result = (await h.client.workflow.getHandle(started).result()) as DriftWatchResult;
    expect(result.counts).toEqual({ unchanged: 1 });
    expect(await keep(900_000)).toBe('updated');
    expect((await schedule.describe()).spec.intervals?.[0]?.every).toBe(900_000);
    expect(await keep(null)).toBe('removed');
    expect(await keep(null)).toBe('absent');
  });
});
