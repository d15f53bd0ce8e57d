import { describe, expect, it } from 'vitest';
import { endedWithoutResult, fateOf, hostStartMemo, isStartOf } from './host-workflow-memo';

const ours = hostStartMemo('c1', 2);
const TYPE = 'hostUpgradeWorkflow';

describe('isStartOf: a retried start recognises the workflow its earlier attempt started', () => {
  it('same campaign and attempt: ours', () => {
    expect(isStartOf({ campaignId: 'c1', attempt: 2 }, ours)).toBe(true);
  });
  it('another attempt of the host, another campaign, no memo: not ours', () => {
    expect(isStartOf({ campaignId: 'c1', attempt: 1 }, ours)).toBe(false);
    expect(isStartOf({ campaignId: 'c2', attempt: 2 }, ours)).toBe(false);
    expect(isStartOf({}, ours)).toBe(false);
    expect(isStartOf(undefined, ours)).toBe(false);
  });
  it('a memo whose attempt went through as text is not ours (the memo is compared as written)', () => {
    expect(isStartOf({ campaignId: 'c1', attempt: '2' }, ours)).toBe(false);
  });
});

describe('fateOf: what the watch makes of a running host', () => {
  it('our upgrade running: running; a child started before the memo existed counts as ours', () => {
    expect(fateOf({ status: 'RUNNING', type: TYPE, memo: { campaignId: 'c1', attempt: 2 } }, ours, TYPE)).toEqual({ kind: 'running' });
    expect(fateOf({ status: 'RUNNING', type: TYPE }, ours, TYPE)).toEqual({ kind: 'running' });
  });
  it('ours completed (its report was lost): its outcome is read', () => {
    expect(fateOf({ status: 'COMPLETED', type: TYPE, memo: { campaignId: 'c1', attempt: 2 } }, ours, TYPE)).toEqual({ kind: 'completed' });
  });
  it('ours closed otherwise: ended, in words, with the reason when the close gave one', () => {
    expect(fateOf({ status: 'TERMINATED', type: TYPE, memo: { campaignId: 'c1', attempt: 2 } }, ours, TYPE)).toEqual({ kind: 'ended', how: 'terminated' });
    expect(fateOf({ status: 'TERMINATED', type: TYPE, closeDetail: 'stuck' }, ours, TYPE)).toEqual({ kind: 'ended', how: 'terminated: stuck' });
    expect(fateOf({ status: 'TIMED_OUT', type: TYPE }, ours, TYPE)).toEqual({ kind: 'ended', how: 'timed out' });
  });
  it('gone, or another workflow holds the id (an operator action, another attempt or campaign): ours ended', () => {
    expect(fateOf(undefined, ours, TYPE)).toEqual({ kind: 'ended', how: 'its workflow is gone' });
    expect(fateOf({ status: 'RUNNING', type: 'hostActionWorkflow' }, ours, TYPE)).toMatchObject({ kind: 'ended', how: expect.stringContaining('hostActionWorkflow') });
    expect(fateOf({ status: 'RUNNING', type: TYPE, memo: { campaignId: 'c2', attempt: 1 } }, ours, TYPE).kind).toBe('ended');
  });
});

it('endedWithoutResult: needs attention, in the words the campaign used for a child that ended so', () => {
  expect(endedWithoutResult({ hostId: 'esx01', attempt: 2, workflowId: 'host-esx01' }, 'terminated')).toEqual({
    hostId: 'esx01',
    attempt: 2,
    endState: 'needs-attention',
    cause: 'failed',
    reason: "its upgrade workflow host-esx01 ended without a result (terminated); the host's banks are as last recorded in its history",
    settle: 'observe the host (`bankswitch host observe esx01`), then settle it with `bankswitch host rollback|abandon|commit esx01`',
  });
});
