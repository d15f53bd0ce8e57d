// The chaos suite's judge must be able to fail: a host left staged is undecided, a boot
// recorded twice is a duplicate, a transition the history missed is lost.
import { describe, expect, it } from 'vitest';
import { campaignDuplicates, campaignOf, judgeHost, type RecordedFact } from './evaluate';

const cfg = (build: string, updated: number, bootstate: number) => `bootstate=${bootstate}\ntitle=Loading VMware ESXi\nbuild=${build}\nupdated=${updated}\n`;
const observed: RecordedFact = {
  type: 'BankStateObserved',
  data: { bootedBank: 0, banks: [{ build: '8.0.2', updated: 2, bootstate: 'VALID' }, { build: '8.0.1', updated: 1, bootstate: 'VALID' }] },
};
const started: RecordedFact = { type: 'UpgradeStarted', data: { campaignId: 'c', attempt: 1, fromBuild: '8.0.2', toBuild: '8.0.3', resumeFrom: 'stage', skipped: [] } };
const staged: RecordedFact = { type: 'ImageStaged', data: { bank: 1, build: '8.0.3', sha256: 'a'.repeat(64), updated: 3, replacedBuild: '8.0.1', rollbackImageLost: true } };
const booted: RecordedFact = { type: 'BankBooted', data: { bank: 1, build: '8.0.3', updated: 3, firstBoot: true, previousBank: 0 }, causationId: 'boot/h/b1' };
const committed: RecordedFact = { type: 'BankCommitted', data: { bank: 1, build: '8.0.3', updated: 3 } };
const ended = (endState: string): RecordedFact => ({
  type: 'UpgradeEnded',
  data: { campaignId: 'c', attempt: 1, toBuild: '8.0.3', endState, cause: endState === 'upgraded' ? 'succeeded' : 'failed', reason: '', failedStep: null, bootLog: [], settle: null },
});
const campaign = campaignOf('c', []);
const upgradedHost = { reachable: true as const, bootedBank: 1 as const, bank0: cfg('8.0.2', 2, 0), bank1: cfg('8.0.3', 3, 0) };

describe('the chaos judge', () => {
  it('passes a host that was upgraded and recorded as such', () => {
    const verdict = judgeHost({ hostId: 'h', truth: upgradedHost, events: [observed, started, staged, booted, committed, ended('upgraded')] }, campaign);
    expect(verdict).toMatchObject({ endState: 'upgraded', lost: [], duplicated: [], undecided: [] });
  });

  it('counts a host left staged with nothing decided as undecided, and a missing end as lost', () => {
    const staging = { reachable: true as const, bootedBank: 0 as const, bank0: cfg('8.0.2', 2, 0), bank1: cfg('8.0.3', 3, 1) };
    const verdict = judgeHost({ hostId: 'h', truth: staging, events: [observed, started, staged] }, campaign);
    expect(verdict.undecided).toEqual(['standing upgrading', 'an image is staged and nothing decided about it']);
    expect(verdict.lost).toEqual(['no UpgradeEnded in the host history']);
  });

  it('counts a transition the history missed as lost, a boot recorded twice as duplicated, a late stage as undecided', () => {
    const verdict = judgeHost({ hostId: 'h', truth: upgradedHost, events: [observed, started, staged, booted, booted, ended('needs-attention'), staged] }, campaign);
    expect(verdict.lost.join()).toMatch(/bank 1 8\.0\.3 UPGRADING, host has 8\.0\.3 VALID/);
    expect(verdict.duplicated).toEqual(['boot boot/h/b1 twice', 'ImageStaged twice in attempt c#1']);
    expect(verdict.undecided.join()).toMatch(/ImageStaged recorded after its end/);
  });

  it('counts campaign facts recorded twice, but not a host settled after it needed attention', () => {
    const finished = (endState: string): RecordedFact => ({ type: 'HostFinished', data: { hostId: 'h', attempt: 1, endState } });
    expect(campaignDuplicates([{ type: 'WaveStarted', data: { wave: 1 } }, { type: 'WaveStarted', data: { wave: 1 } }])).toEqual(['WaveStarted 1 twice']);
    expect(campaignDuplicates([finished('needs-attention'), finished('rolled-back')])).toEqual([]);
    expect(campaignDuplicates([finished('upgraded'), finished('upgraded')])).toEqual(['HostFinished h#1 twice']);
  });
});
