// Names and shapes shared by the workflows and their callers (the app layer's client).
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { HostOutcome } from '@bankswitch/activities';
import type { CampaignProgress } from './campaign-state';

export const TASK_QUEUE = 'bankswitch';

/** One workflow per host: two upgrades of one host can never run at once. */
export const hostUpgradeWorkflowId = (hostId: string): string => `host-upgrade-${hostId}`;
export const campaignWorkflowId = (campaignId: string): string => `campaign-${campaignId}`;

export interface OperatorAction {
  readonly by?: string;
  readonly reason?: string;
}

export const hostFinishedSignal = defineSignal<[HostOutcome]>('hostFinished');
export const progressQuery = defineQuery<CampaignProgress>('progress');
export const pauseUpdate = defineUpdate<CampaignProgress, [OperatorAction]>('pause');
export const resumeUpdate = defineUpdate<CampaignProgress, [OperatorAction]>('resume');
export const cancelUpdate = defineUpdate<CampaignProgress, [OperatorAction]>('cancel');
export const retryHostsUpdate = defineUpdate<CampaignProgress, [OperatorAction & { hostIds?: readonly string[] }]>('retryHosts');

export const hostStepQuery = defineQuery<string>('step');
