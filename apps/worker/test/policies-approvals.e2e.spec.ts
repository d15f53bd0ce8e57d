// Campaign policies (issue 15), approvals, end to end against the real stack: hosts wait
// at the pause points of the spec's `approvals` (before the stage, the reboot, the commit),
// in flight, until an operator approves one host or every waiting host at once; who
// approved is recorded in the campaign's stream and in each host's. A cancel while a host
// waits still settles it.
import { campaignStream, hostStream } from '@bankswitch/records';
import { approveHostsUpdate, cancelUpdate, progressQuery } from '@bankswitch/workflows';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, testStrategy, until, type Harness } from './engine-harness';

describe('campaign policies, end to end: approvals', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ clusters: [{ name: 'pol-appr', hosts: 4 }], rebootMs: 150 });
    await h.startWorker();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('holds hosts at each pause point until approved, one host or all waiting at once, recording who approved', async () => {
    const input = h.campaign({
      name: 'approvals',
      hosts: { names: ['pol-appr-esx01', 'pol-appr-esx02', 'pol-appr-esx03'] },
      strategy: testStrategy({ maxInFlight: 2 }),
      approvals: { beforeStage: 'canary', beforeReboot: 'canary', beforeCommit: 'all' },
    });
    const handle = await h.launch(input);
    const canary = 'pol-appr-esx01';
    const waitingAt = (point: 'stage' | 'reboot' | 'commit', hostIds: string[]) =>
      until(`${hostIds.join(', ')} waiting before the ${point}`, async () => {
        const p = await handle.query(progressQuery);
        return hostIds.every((id) => p.awaitingApproval?.[point].includes(id)) ? p : undefined;
      });

    const atStage = await waitingAt('stage', [canary]);
    expect(atStage).toMatchObject({ inFlight: 1, waitingFor: `hosts waiting for approval: before stage ${canary}` });
    // Nothing is approved ahead of time: the canary does not wait before its commit yet.
    await expect(handle.executeUpdate(approveHostsUpdate, { args: [{ by: 'alice', point: 'commit' }] })).rejects.toThrow();
    await handle.executeUpdate(approveHostsUpdate, { args: [{ by: 'alice', hostIds: [canary] }] });
    await waitingAt('reboot', [canary]);
    await handle.executeUpdate(approveHostsUpdate, { args: [{ by: 'alice', hostIds: [canary], point: 'reboot' }] });
    await waitingAt('commit', [canary]);
    await handle.executeUpdate(approveHostsUpdate, { args: [{ by: 'alice' }] });
    // The wave's hosts wait only before their commit: both approved at once.
    const wave = await waitingAt('commit', ['pol-appr-esx02', 'pol-appr-esx03']);
    expect(wave.inFlight).toBe(2);
    const approved = await handle.executeUpdate(approveHostsUpdate, { args: [{ by: 'bob', point: 'commit' }] });
    expect(approved.awaitingApproval).toEqual({ stage: [], reboot: [], commit: [] });
    const result = await handle.result();
    expect(result.status).toBe('completed');
    expect(result.hosts.map((x) => x.status)).toEqual(['upgraded', 'upgraded', 'upgraded']);

    const campaign = await h.store.readStream(campaignStream(input.campaignId));
    const grants = campaign.flatMap((e) => (e.type === 'HostApproved' ? [`${e.data.hostId}@${e.data.point} by ${e.data.by}`] : []));
    expect(grants.slice(0, 3)).toEqual([`${canary}@stage by alice`, `${canary}@reboot by alice`, `${canary}@commit by alice`]);
    expect(grants.slice(3).sort()).toEqual(['pol-appr-esx02@commit by bob', 'pol-appr-esx03@commit by bob']);
    expect(campaign.filter((e) => e.type === 'HostWaitingForApproval')).toHaveLength(5);

    // The canary's own history: each wait and each approval, in place among its bank events.
    const types = (await h.store.readStream(hostStream(canary))).map((e) => (e.type.startsWith('HostApproval') ? `${e.type}:${(e.data as { point: string }).point}` : e.type));
    const at = (t: string) => types.indexOf(t);
    expect(at('HostApprovalRequested:stage')).toBeLessThan(at('HostApprovalGranted:stage'));
    expect(at('HostApprovalGranted:stage')).toBeLessThan(at('MaintenanceModeEntered'));
    expect(at('ImageStaged')).toBeLessThan(at('HostApprovalRequested:reboot'));
    expect(at('HostApprovalGranted:reboot')).toBeLessThan(at('BankBooted'));
    expect(at('HostApprovalGranted:commit')).toBeLessThan(at('BankCommitted'));
    const granted = (await h.store.readStream(hostStream(canary))).find((e) => e.type === 'HostApprovalGranted');
    expect(granted?.data).toMatchObject({ point: 'stage', by: 'alice' });
    // A wave host waited only before its commit.
    const waveTypes = (await h.store.readStream(hostStream('pol-appr-esx02'))).map((e) => e.type);
    expect(waveTypes.filter((t) => t === 'HostApprovalRequested')).toHaveLength(1);
    await h.recordHistories('approvals', input);
  });

  it('a cancel while a host waits before its reboot settles it: the staged image is abandoned', async () => {
    const input = h.campaign({
      name: 'approvals-cancel',
      hosts: { names: ['pol-appr-esx04'] },
      strategy: testStrategy(),
      approvals: { beforeReboot: 'all' },
    });
    const handle = await h.launch(input);
    await until('waiting before the reboot', async () => ((await handle.query(progressQuery)).awaitingApproval?.reboot.length ? true : undefined));
    await handle.executeUpdate(cancelUpdate, { args: [{ by: 'alice', reason: 'not tonight' }] });
    const result = await handle.result();
    expect(result.status).toBe('cancelled');
    expect(result.hosts[0]).toMatchObject({ status: 'rolled-back', cause: 'cancelled' });
    expect(result.hosts[0]?.reason).toMatch(/^cancelled while awaiting approval before the reboot; /);
    await h.recordHistories('approvals-cancel', input);
  });
});
