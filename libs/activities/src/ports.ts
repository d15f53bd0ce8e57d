// What the activities need from the world, as narrow interfaces: the event store
// adapter, the host drivers and the image files. createActivities receives them.
import type { BankEvent, BankIndex, HostBanks } from '@bankswitch/banks';
import type { HostDriver } from '@bankswitch/host-driver';
import type { CampaignFact, HostOutcome, ResumePoint } from './contracts';

/** Who and what caused an event: kept in the event metadata for auditors. */
export interface EventMetadata {
  readonly campaignId?: string;
  readonly workflowId?: string;
  readonly runId?: string;
  readonly activity?: string;
  readonly operator?: string;
  readonly correlationId?: string;
  readonly causationId?: string;
}

export interface HostHistorySnapshot {
  readonly state: HostBanks;
  /** Stream version the state was folded at: the expected version of the next append. */
  readonly version: number;
  /** Idempotency keys already in the stream: an activity that ran before appends nothing. */
  readonly keys: ReadonlySet<string>;
}

export interface HostUpgradeStartedData {
  readonly hostId: string;
  readonly wave: number;
  readonly fromBuild: string | null;
  readonly toBuild: string;
  readonly attempt: number;
  readonly resumeFrom: ResumePoint;
  readonly skipped: readonly { readonly step: string; readonly why: string }[];
}

export interface HostHistory {
  load(hostId: string): Promise<HostHistorySnapshot>;
  append(
    hostId: string,
    events: readonly BankEvent[],
    options: { readonly expectedVersion: number; readonly idempotencyKey: string; readonly metadata: EventMetadata },
  ): Promise<void>;
  /** HostUpgradeStarted in the campaign's stream: attempt, and which steps are skipped and why. */
  recordHostUpgradeStarted(
    campaignId: string,
    data: HostUpgradeStartedData,
    options: { readonly idempotencyKey: string; readonly metadata: EventMetadata },
  ): Promise<void>;
  /** HostUpgradeSucceeded or HostUpgradeFailed in the campaign's stream. */
  recordHostOutcome(
    campaignId: string,
    data: { readonly hostId: string; readonly wave: number; readonly toBuild: string; readonly attempt: number; readonly outcome: HostOutcome; readonly bank: BankIndex | null },
    options: { readonly idempotencyKey: string; readonly metadata: EventMetadata },
  ): Promise<void>;
  recordCampaignFact(campaignId: string, fact: CampaignFact, options: { readonly idempotencyKey: string; readonly metadata: EventMetadata }): Promise<void>;
}

export interface ActivityDependencies {
  readonly history: HostHistory;
  /** The driver for a host of the inventory; throws a clear error for an unknown host. */
  driverFor(hostId: string): Promise<HostDriver>;
  /** The bytes of an image file named by a campaign's target. */
  readImage(location: string): Promise<Uint8Array>;
  /** Polling interval while a host reboots (ms). */
  readonly pollMs?: number;
}
