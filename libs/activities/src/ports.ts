// What the activities need from the world, as narrow interfaces: the event store
// adapters, the host drivers and the image files. createActivities receives them.
import type { HostBanks, HostEvent } from '@bankswitch/banks';
import type { CurrentCampaignEvent } from '@bankswitch/campaign';
import type { HostDriver } from '@bankswitch/host-driver';
import type { WorkflowClient } from '@temporalio/client';
import type { HostOutcome } from './contracts';
import type { TrustedImageKey } from './image-signature';

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

export interface AppendOptions {
  readonly expectedVersion: number;
  readonly idempotencyKey: string;
  readonly metadata: EventMetadata;
}

/** A host's stream: bank events and upgrade lifecycle events. */
export interface HostHistory {
  load(hostId: string): Promise<HostHistorySnapshot>;
  /** Returns the history as it stands after the append (what `load` would return now): a step that goes on needs no second read. */
  append(hostId: string, events: readonly HostEvent[], options: AppendOptions): Promise<HostHistorySnapshot>;
  /**
   * Appends events that hold whatever else the history holds (an upgrade's end, a
   * barrier or approval reached), once under the key, at whatever version the stream is:
   * nothing needs reading first.
   */
  record(hostId: string, events: readonly HostEvent[], options: Omit<AppendOptions, 'expectedVersion'>): Promise<void>;
}

/** A place in the event log, in commit order (the store's LogPosition, as text so that it travels as JSON). */
export interface LogCursor {
  readonly transactionId: string;
  readonly globalPosition: string;
}

/** The host ends of one campaign found in a stretch of the log. */
export interface HostEndsPage {
  readonly ends: readonly HostOutcome[];
  /** Where the next read goes on from: the last event read, whatever its type; null while the campaign has no event yet. */
  readonly after: LogCursor | null;
  /** The page was full: more may follow at once. */
  readonly more: boolean;
}

/** A campaign's stream: written by its workflow only, at the version it decided on. */
export interface CampaignLog {
  append(campaignId: string, events: readonly CurrentCampaignEvent[], options: AppendOptions): Promise<void>;
  /**
   * The ends (`UpgradeEnded`) its hosts recorded in their streams after `after` (null:
   * since the campaign's first event), in commit order, one page of the log at a time.
   */
  hostEnds(campaignId: string, after: LogCursor | null): Promise<HostEndsPage>;
}

export interface ActivityDependencies {
  readonly history: HostHistory;
  readonly campaigns: CampaignLog;
  /** The driver for a host of the inventory; throws a clear error for an unknown host. */
  driverFor(hostId: string): Promise<HostDriver>;
  /** The bytes of an image file named by a campaign's target. */
  readImage(location: string): Promise<Uint8Array>;
  /**
   * Public keys images must be signed by (BANKSWITCH_TRUSTED_IMAGE_KEYS): with any, an
   * unsigned or badly signed image is refused before staging; none: no signature needed.
   */
  readonly trustedImageKeys?: readonly TrustedImageKey[];
  /** Polling interval while a host reboots (ms). */
  readonly pollMs?: number;
  /** Host ids of the inventory in id order, after `after` (the drift watch pages through them). */
  listHostIds(after: string | null, limit: number): Promise<readonly string[]>;
  /** Whether an upgrade or an operator's action runs on the host now (its workflow is running). */
  hostBusy(hostId: string): Promise<boolean>;
  /** A Temporal client, for the campaign's activities that start and look up its hosts' workflows (host-workflows.ts); absent, they fail saying so. */
  workflowClient?(): Promise<WorkflowClient>;
}
