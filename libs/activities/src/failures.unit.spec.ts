// How an activity's error reaches Temporal: which are retried for ever (the database),
// which a few times (a host), which never (a host's refusal).
import { ApplicationFailure, CancelledFailure } from '@temporalio/activity';
import { ActivityCancellationDetails } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import { HostRefusedError, HostUnreachableError } from '@bankswitch/host-driver';
import { asActivityFailure, HOST_ATTEMPTS } from './failures';

const host = { id: 'esx01', name: 'esx01.lab', address: 'ssh://10.0.0.1' };
const failureAt = (attempt: number, error: unknown): Promise<ApplicationFailure> => new MockActivityEnvironment({ attempt }).run(async () => asActivityFailure(error) as ApplicationFailure);

describe('asActivityFailure', () => {
  it('treats a host that reset the connection as the host failing, not PostgreSQL: retried, then given up', async () => {
    const reset = new HostUnreachableError(host, 'getState', 'reset', 'the connection was reset', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });
    const first = await failureAt(1, reset);
    expect(first).toMatchObject({ type: 'HostUnreachableError', nonRetryable: false });
    const last = await failureAt(HOST_ATTEMPTS, reset);
    expect(last).toMatchObject({ type: 'HostUnreachableError', nonRetryable: true });
    expect(last.message).toMatch(/gave up after 5 attempts/);
  });

  it('retries PostgreSQL being away without limit, and never retries a host that refused', async () => {
    const away = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(await failureAt(50, away)).toMatchObject({ type: 'DatabaseUnavailable', nonRetryable: false });
    const refused = new HostRefusedError(host, 'reboot', 1, 'NotInMaintenanceMode', 'System is not in maintenance mode.');
    expect(await failureAt(1, refused)).toMatchObject({ type: 'HostRefusedError', nonRetryable: true });
  });

  it('passes a cancellation the workflow asked for through, so that Temporal records the activity cancelled (it was a retryable failure: the workflow took it for a failed step)', async () => {
    const cancelledBy = async (details: ActivityCancellationDetails) => {
      const env = new MockActivityEnvironment({ attempt: 1 });
      env.cancel('CANCELLED', details);
      const cancelled = new CancelledFailure('CANCELLED');
      return { cancelled, failure: await env.run(async () => asActivityFailure(cancelled)) };
    };
    const asked = await cancelledBy(new ActivityCancellationDetails({ cancelRequested: true }));
    expect(asked.failure).toBe(asked.cancelled);
    // The worker shutting down: retried elsewhere, as before.
    expect((await cancelledBy(new ActivityCancellationDetails({ workerShutdown: true }))).failure).toMatchObject({ nonRetryable: false, type: 'UnexpectedError' });
  });
});
