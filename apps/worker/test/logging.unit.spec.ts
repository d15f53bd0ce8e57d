import { describe, expect, it } from 'vitest';
import { campaignActivityTaskQueue } from '@bankswitch/workflows';
import { levelOf } from '../src/logging';

describe("the worker log's levels", () => {
  const noWorkflows = 'No workflows registered, not polling for workflow tasks';
  it("reports the campaigns' activity worker polling no workflow tasks as news, not a warning", () => {
    expect(levelOf('WARN', noWorkflows, { taskQueue: campaignActivityTaskQueue('bankswitch') })).toBe('INFO');
  });
  it('keeps that warning for any other queue, and every other warning', () => {
    expect(levelOf('WARN', noWorkflows, { taskQueue: 'bankswitch' })).toBe('WARN');
    expect(levelOf('WARN', noWorkflows, {})).toBe('WARN');
    expect(levelOf('WARN', 'Activity failed', { taskQueue: campaignActivityTaskQueue('bankswitch') })).toBe('WARN');
    expect(levelOf('ERROR', noWorkflows, { taskQueue: campaignActivityTaskQueue('bankswitch') })).toBe('ERROR');
  });
});
