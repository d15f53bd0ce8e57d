import type { TargetImage } from '@bankswitch/activities';
import type { HostUpgradeTimeouts } from './host-upgrade-input';
import type { CampaignState } from './campaign-state';

export type PauseBetweenWaves = { readonly kind: 'none' } | { readonly kind: 'manual' } | { readonly kind: 'timed'; readonly ms: number };

export interface CampaignInput {
  readonly campaignId: string;
  readonly name: string;
  readonly target: TargetImage;
  /** Wave 0 is the canary wave: any failure there halts the campaign. */
  readonly waves: readonly { readonly kind: 'canary' | 'wave'; readonly hostIds: readonly string[] }[];
  /** Cluster of each planned host, for the per-cluster limit. */
  readonly clusters: Readonly<Record<string, string>>;
  readonly maxInFlight: number;
  readonly maxPerCluster?: number;
  /** Failed hosts tolerated; one more halts the campaign. */
  readonly failureBudget: number;
  readonly pauseBetweenWaves: PauseBetweenWaves;
  readonly timeouts: HostUpgradeTimeouts;
  readonly checks: readonly string[];
  readonly waiveRollbackImage: readonly string[];
  readonly operator?: string;
  /** History length after which a run continues as new (default 8,000; tests set it low). */
  readonly continueAsNewAfterEvents?: number;
  /** Continue-as-new and retry runs carry the state of the run before. */
  readonly carried?: CampaignState;
  /** A retry run: put these failed hosts back in the queue before going on. */
  readonly retryHostIds?: readonly string[];
}
