import type { Client } from '@temporalio/client';
import { initialState } from '@bankswitch/campaign';
import type { RecordedCampaign, Records } from '@bankswitch/records';
import { describe, expect, it } from 'vitest';
import { viewOf } from './campaigns';

const at = new Date('2026-12-01T00:00:00Z');
const recorded = (status: 'running' | 'completed', version: number): RecordedCampaign => ({
  state: { ...initialState('c1'), status, version },
  startedAt: at,
  lastEventAt: at,
});
/** A Temporal client whose campaign workflow has ended with `status`. */
const temporalWith = (status: string) => ({ workflow: { getHandle: () => ({ describe: async () => ({ status: { name: status } }) }) } }) as unknown as Client;

describe('viewOf a campaign whose workflow has ended', () => {
  it('reads the events again when the workflow ended after they were read: its last events then say how it ended', async () => {
    const reads: number[] = [];
    const records = { campaign: async () => (reads.push(1), recorded('completed', 12)) } as unknown as Records;
    const view = await viewOf({ temporal: temporalWith('COMPLETED'), taskQueue: 'q', records }, recorded('running', 10));
    expect(view).toMatchObject({ status: 'completed', running: false });
    expect(reads).toHaveLength(1);
  });

  it('says the workflow is gone while its events say it runs when a second read shows nothing newer', async () => {
    const records = { campaign: async () => recorded('running', 10) } as unknown as Records;
    const view = await viewOf({ temporal: temporalWith('TERMINATED'), taskQueue: 'q', records }, recorded('running', 10));
    expect(view).toMatchObject({ status: 'terminated', running: false });
    expect(view.note).toContain('while its events say running');
  });
});
