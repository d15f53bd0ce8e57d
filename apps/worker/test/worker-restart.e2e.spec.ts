// The worker process killed (SIGKILL) mid-campaign and started again: the campaign
// completes, and the event log has every event exactly once.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { progressQuery } from '@bankswitch/workflows';
import { startHarness, until, type Harness } from './engine-harness';

const workerMain = fileURLToPath(new URL('../src/main.ts', import.meta.url));
let h: Harness;
const workers: ChildProcess[] = [];

function startWorkerProcess(): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', workerMain], {
    cwd: path.dirname(workerMain),
    env: { ...process.env, BANKSWITCH_TASK_QUEUE: h.taskQueue, BANKSWITCH_MAX_ACTIVITIES: '20' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  workers.push(child);
  return child;
}

beforeAll(async () => {
  h = await startHarness({ clusters: [{ name: 'kill', hosts: 6 }], rebootMs: 400 });
});
afterAll(async () => {
  for (const w of workers) w.kill('SIGKILL');
  await h?.stop();
});

it('completes a campaign whose worker was killed mid-way, with no event duplicated or missing', async () => {
  const first = startWorkerProcess();
  const input = h.campaign({
    name: 'worker-kill',
    hosts: { clusters: ['kill'] },
    strategy: { canary: 1, waves: ['100%'], maxInFlight: 2, failureBudget: 0, pauseBetweenWaves: 'none', timeouts: { reboot: '20s' } },
  });
  const handle = await h.launch(input);
  for (;;) {
    const progress = await handle.query(progressQuery).catch(() => undefined);
    if (progress && progress.hosts.filter((x) => x.status === 'upgraded').length >= 2 && progress.inFlight > 0) break;
    await sleep(50);
  }
  first.kill('SIGKILL');
  await new Promise((resolve) => first.once('exit', resolve));
  await sleep(500);
  startWorkerProcess();

  const result = await handle.result();
  expect(result.status).toBe('completed');
  expect(result.hosts.every((x) => x.status === 'upgraded')).toBe(true);

  for (const host of h.fleet.inventory) {
    // The campaign hears a host's end first and its history records it right after (so
    // that a campaign never waits on PostgreSQL): wait for the last host's UpgradeEnded.
    const events = await until(`UpgradeEnded in host-${host.id}`, async () => {
      const stream = await h.store.readStream(`host-${host.id}`);
      return stream.some((e) => e.type === 'UpgradeEnded') ? stream : undefined;
    });
    expect(events.map((e) => e.type)).toEqual(['BankStateObserved', 'UpgradeStarted', 'MaintenanceModeEntered', 'ImageStaged', 'BankBooted', 'BankCommitted', 'MaintenanceModeExited', 'UpgradeEnded']);
  }
  const campaign = (await h.store.readStream(`campaign-${input.campaignId}`)).map((e) => e.type);
  const count = (type: string) => campaign.filter((t) => t === type).length;
  expect({
    launched: count('CampaignLaunched'),
    wavesStarted: count('WaveStarted'),
    wavesFinished: count('WaveFinished'),
    hostsStarted: count('HostStarted'),
    hostsFinished: count('HostFinished'),
    completed: count('CampaignCompleted'),
  }).toEqual({ launched: 1, wavesStarted: 2, wavesFinished: 2, hostsStarted: 6, hostsFinished: 6, completed: 1 });
  expect((await h.store.verifyAll()).ok).toBe(true);
});
