import type { CurrentCampaignEvent } from './events';

export type CampaignRefusalCode = 'NOT_LAUNCHED' | 'ALREADY_LAUNCHED' | 'INVALID_PLAN' | 'WRONG_STATUS' | 'UNKNOWN_HOST' | 'HOST_NOT_RETRYABLE' | 'NOTHING_TO_RETRY' | 'NOTHING_TO_APPROVE' | 'PARTIAL_BARRIER_RETRY';

export interface CampaignRefusal {
  readonly code: CampaignRefusalCode;
  /** Plain words, said to the operator who asked: what is wrong and what to do. */
  readonly message: string;
}

export type CampaignDecision = { readonly ok: true; readonly events: readonly CurrentCampaignEvent[] } | { readonly ok: false; readonly refusal: CampaignRefusal };

export const accept = (events: readonly CurrentCampaignEvent[]): CampaignDecision => ({ ok: true, events });
export const refuse = (code: CampaignRefusalCode, message: string): CampaignDecision => ({ ok: false, refusal: { code, message } });
