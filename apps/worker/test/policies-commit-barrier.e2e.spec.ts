// Campaign policies (issue 15), the fleet commit barrier, end to end against the real
// stack: with `commit: wave` a wave's hosts stage, reboot and verify, then wait at the
// barrier with the new image booted but not committed; they commit together once the last
// one verified, and when one of them fails every host waiting there rolls back to its
// previous image (the campaign decides, each host's workflow acts).
import { comparePositions } from '@bankswitch/event-store';
import { campaignStream, hostStream } from '@bankswitch/records';
import { progressQuery } from '@bankswitch/workflows';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NEW_BUILD, OLD_BUILD, startHarness, testStrategy, until, type Harness } from './engine-harness';

const SLOW = 'pol-bar-esx04';
const BAD = 'pol-bar-esx08';

describe('campaign policies, end to end: the commit barrier', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      clusters: [{ name: 'pol-bar', hosts: 8 }],
      rebootMs: 150,
      // The last host of each wave reboots slowly, so that the others wait at the barrier for it; BAD then fails its health check.
      faults: { hosts: { [SLOW]: { slowRebootMs: 1_500 }, [BAD]: { slowRebootMs: 1_500, failHealth: true } } },
    });
    await h.startWorker();
  });
  afterAll(async () => {
    await h?.stop();
  });

  const barrierEvents = async (campaignId: string) =>
    (await h.store.readStream(campaignStream(campaignId))).flatMap((e) => (e.type === 'BarrierReleased' ? [{ ...e.data, hostIds: [...e.data.hostIds].sort() }] : []));

  it('holds the verified hosts of a wave uncommitted until the last one verified, then commits them together', async () => {
    const wave = ['pol-bar-esx02', 'pol-bar-esx03', SLOW];
    const input = h.campaign({ name: 'barrier-commit', hosts: { names: ['pol-bar-esx01', ...wave] }, strategy: testStrategy({ maxInFlight: 3 }), commit: 'wave' });
    expect(input.commitBarrier).toEqual({ scope: 'wave', timeoutMs: 3_600_000 });
    const handle = await h.launch(input);

    // The two quick hosts wait at the barrier, verified, while the slow one still reboots.
    const waiting = await until('two hosts waiting at the barrier of wave 1', async () => {
      const p = await handle.query(progressQuery);
      return p.commitBarrier?.barriers[1]?.verified.length === 2 ? p : undefined;
    });
    expect(waiting.waitingFor).toBe('waiting at the commit barrier of wave 1 (2 of 3 verified)');
    expect(waiting.inFlight).toBe(3);
    for (const id of waiting.commitBarrier?.barriers[1]?.verified ?? []) {
      expect((await h.driver(id).getState()).runningBuild).toBe(NEW_BUILD);
      expect(await h.store.readStream(hostStream(id))).not.toContainEqual(expect.objectContaining({ type: 'BankCommitted' }));
    }

    const result = await handle.result();
    expect(result.status).toBe('completed');
    expect(result.hosts.map((x) => x.status)).toEqual(['upgraded', 'upgraded', 'upgraded', 'upgraded']);
    expect(await barrierEvents(input.campaignId)).toEqual([
      { campaignId: input.campaignId, barrier: 'wave-0', round: 0, decision: 'commit', reason: 'all 1 host behind it verified', hostIds: ['pol-bar-esx01'], late: [] },
      { campaignId: input.campaignId, barrier: 'wave-1', round: 0, decision: 'commit', reason: 'all 3 hosts behind it verified', hostIds: wave, late: [] },
    ]);

    // From the hosts' own histories: no host of the wave committed before the last one verified.
    const streams = await Promise.all(wave.map((id) => h.store.readStream(hostStream(id))));
    const reached = streams.flatMap((s) => s.filter((e) => e.type === 'CommitBarrierReached').map((e) => e.position));
    const committed = streams.flatMap((s) => s.filter((e) => e.type === 'BankCommitted').map((e) => e.position));
    expect([reached.length, committed.length]).toEqual([3, 3]);
    const lastReached = reached.reduce((a, b) => (comparePositions(a, b) > 0 ? a : b));
    for (const c of committed) expect(comparePositions(c, lastReached)).toBeGreaterThan(0);
    for (const s of streams) {
      const types = s.map((e) => e.type);
      expect(types.indexOf('CommitBarrierReached')).toBeLessThan(types.indexOf('CommitBarrierReleased'));
      expect(types.indexOf('CommitBarrierReleased')).toBeLessThan(types.indexOf('BankCommitted'));
      expect(s.find((e) => e.type === 'CommitBarrierReleased')?.data).toMatchObject({ barrier: 'wave-1', decision: 'commit' });
    }
    for (const id of wave) expect((await h.driver(id).getState()).runningBuild).toBe(NEW_BUILD);
    await h.recordHistories('commit-barrier', input);
  });

  it('rolls every waiting host of the wave back to its previous build when one host fails verification', async () => {
    const waiting = ['pol-bar-esx06', 'pol-bar-esx07'];
    const input = h.campaign({ name: 'barrier-rollback', hosts: { names: ['pol-bar-esx05', ...waiting, BAD] }, strategy: testStrategy({ maxInFlight: 3 }), commit: 'wave' });
    const before = new Map(await Promise.all([...waiting, BAD].map(async (id) => [id, (await h.driver(id).getState()).runningBuild] as const)));
    const result = await (await h.launch(input)).result();

    expect(result.status).toBe('completed');
    expect(result.failed).toBe(1);
    const byId = new Map(result.hosts.map((x) => [x.hostId, x]));
    expect(byId.get('pol-bar-esx05')).toMatchObject({ status: 'upgraded' });
    expect(byId.get(BAD)).toMatchObject({ status: 'rolled-back', cause: 'failed' });
    expect(byId.get(BAD)?.reason).toMatch(/^verify: health check/);
    for (const id of waiting) {
      expect(byId.get(id)).toMatchObject({ status: 'rolled-back', cause: 'cancelled' });
      expect(byId.get(id)?.reason).toMatch(new RegExp(`^commit barrier: ${BAD} ended rolled-back: verify: health check.*; rolled back: `));
    }
    expect((await barrierEvents(input.campaignId))[1]).toMatchObject({ barrier: 'wave-1', decision: 'rollback', hostIds: waiting, reason: expect.stringMatching(new RegExp(`^${BAD} ended rolled-back`)) });

    // The hosts' banks: each runs its previous build again, the new image's bank is invalid.
    for (const id of [...waiting, BAD]) {
      const state = await h.driver(id).getState();
      expect(state.runningBuild).toBe(before.get(id));
      expect(state.runningBuild).toBe(OLD_BUILD);
      expect(state.banks[state.bootedBank === 0 ? 1 : 0]?.bootCfg).toMatch(/bootstate=3/);
    }
    // Their histories: verified, waited, told to roll back, rolled back; never committed.
    for (const id of waiting) {
      const events = await h.store.readStream(hostStream(id));
      const types = events.map((e) => e.type);
      expect(types).not.toContain('BankCommitted');
      expect(types.indexOf('CommitBarrierReached')).toBeLessThan(types.indexOf('CommitBarrierReleased'));
      expect(types.indexOf('CommitBarrierReleased')).toBeLessThan(types.indexOf('RolledBack'));
      expect(events.find((e) => e.type === 'CommitBarrierReleased')?.data).toMatchObject({ decision: 'rollback' });
      expect(events.find((e) => e.type === 'UpgradeEnded')?.data).toMatchObject({ endState: 'rolled-back', cause: 'cancelled', failedStep: 'commit-barrier' });
    }
    await h.recordHistories('commit-barrier-rollback', input);
  });
});
