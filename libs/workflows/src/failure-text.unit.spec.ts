import { ActivityFailure, ApplicationFailure, ChildWorkflowFailure, RetryState, TerminatedFailure, TimeoutFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { failureText, failureType } from './failure-text';

/** How an activity's failure reaches workflow code: wrapped in an ActivityFailure. */
const fromActivity = (cause: Error) => new ActivityFailure('activity failed', 'awaitHostBoot', '7', RetryState.NON_RETRYABLE_FAILURE, 'worker', cause);

describe('failureText and failureType', () => {
  it('reach through the activity wrapper to the plain-words message and its type', () => {
    const error = fromActivity(ApplicationFailure.nonRetryable('host esx-1 did not come back within 20 s', 'HostDidNotReturn'));
    expect(failureText(error)).toBe('host esx-1 did not come back within 20 s');
    // The workflow waits less for a host it already waited for: it keys on this type.
    expect(failureType(error)).toBe('HostDidNotReturn');
  });

  it('reach through a child workflow failure: a terminated child says so', () => {
    const child = new ChildWorkflowFailure('default', { workflowId: 'host-esx-1', runId: 'r' }, 'hostUpgradeWorkflow', RetryState.NON_RETRYABLE_FAILURE, new TerminatedFailure('Workflow execution terminated'));
    expect(failureText(child)).toBe('terminated');
  });

  it('say which timeout fired, and fall back to any error message', () => {
    expect(failureText(fromActivity(new TimeoutFailure('timed out', undefined, 'HEARTBEAT')))).toBe('timed out (HEARTBEAT)');
    expect(failureText(new Error('boom'))).toBe('boom');
    expect(failureType(new Error('boom'))).toBeUndefined();
    expect(failureText('plain')).toBe('plain');
  });
});
