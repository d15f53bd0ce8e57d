// The application service both front doors (CLI, HTTP API) use: every operator command
// and query, with typed refusals, and the operator (`by`) carried into the workflow
// input or update so that it lands in the event metadata.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { ApprovalPoint, CampaignProgress } from '@bankswitch/campaign';
import { parseCampaignSpec, type SpecFormat } from '@bankswitch/campaign-spec';
import type { PrismaClient } from '@bankswitch/event-store';
import type { Records } from '@bankswitch/records';
import { hostWorkflowId } from '@bankswitch/workflows';
import { actOnCampaign, approveCampaignHosts, campaignStatus, launchCampaign, launchedBefore, listCampaigns, retryCampaign, type CampaignView, type LaunchResult, type RetryResult } from './campaigns';
import { ConflictError } from './errors';
import { campaignLaunches, campaignTimeline, type CampaignLaunch, type CampaignTimeline } from './campaign-timeline';
import { takeHostAction, type HostAction, type HostActionOutcome } from './host-actions';
import { hostBanksAt, hostTimeline, parseInstant, type HistoryEntry, type HostStateView } from './host-history';
import { observeHostsNow, type DriftWatchReport } from './drift-watch';
import { findHost, importHosts, listHosts, showHost, type HostFilter, type HostSummary, type ImportResult } from './inventory';
import { planSpec, type PlanOutput } from './spec-plan';
import { createToken, listTokens, revokeToken, type CreatedToken, type TokenView } from './tokens';
import { describeOrUndefined, unavailable } from './temporal';
import { withInfrastructureErrors } from './unavailable';

export interface BankswitchAppDeps {
  readonly prisma: PrismaClient;
  readonly records: Records;
  readonly temporal: Client;
  readonly taskQueue: string;
  /** Named in the message when PostgreSQL is away. */
  readonly databaseUrl?: string;
}

/** Who acts, recorded in event metadata (`operator`) and Temporal requests. */
export interface Actor {
  readonly by: string;
}

export interface HostCancelResult {
  readonly hostId: string;
  readonly workflowId: string;
  readonly message: string;
}

export interface BankswitchApp {
  importHosts(inventory: unknown): Promise<ImportResult>;
  listHosts(filter?: HostFilter): Promise<HostSummary[]>;
  showHost(host: string): Promise<HostSummary>;
  /** Runs the drift watch now over the named hosts (ids or names), a cluster, or every host, and waits for what it found. */
  observeHosts(options: Actor & { hosts?: readonly string[]; cluster?: string }): Promise<DriftWatchReport>;
  planCampaign(specText: string, options?: { format?: SpecFormat }): Promise<PlanOutput>;
  /** Plans and starts the campaign; when its id (the spec name) was launched before, starts nothing and plans nothing. */
  launchCampaign(specText: string, options: Actor & { format?: SpecFormat; specDir?: string }): Promise<LaunchResult & { plan?: PlanOutput }>;
  listCampaigns(options?: { limit?: number }): Promise<CampaignView[]>;
  campaignStatus(campaignId: string): Promise<CampaignView>;
  pauseCampaign(campaignId: string, options: Actor & { reason?: string }): Promise<CampaignProgress>;
  resumeCampaign(campaignId: string, options: Actor & { reason?: string }): Promise<CampaignProgress>;
  /** Approves the next wave of a campaign waiting for approval. */
  approveCampaign(campaignId: string, options: Actor): Promise<CampaignProgress>;
  cancelCampaign(campaignId: string, options: Actor & { reason?: string }): Promise<CampaignProgress>;
  /** Approvals: approves every host of the campaign waiting at a pause point (only `point`'s, when given; only `hostIds`, when given). */
  approveCampaignHosts(campaignId: string, options: Actor & { point?: ApprovalPoint; hostIds?: readonly string[] }): Promise<CampaignProgress>;
  /** Approvals: approves one host waiting at a pause point of the campaign upgrading it. */
  approveHost(host: string, options: Actor & { point?: ApprovalPoint }): Promise<CampaignProgress>;
  retryCampaign(campaignId: string, options: Actor & { hostIds?: readonly string[] }): Promise<RetryResult>;
  /** The campaign's events in words, from `fromVersion` (default 1) on; none for an unknown campaign. */
  campaignTimeline(campaignId: string, options?: { fromVersion?: number }): Promise<CampaignTimeline>;
  /** Who launched each campaign and when, newest first. */
  campaignLaunches(options?: { limit?: number }): Promise<CampaignLaunch[]>;
  hostHistory(host: string): Promise<{ hostId: string; entries: HistoryEntry[] }>;
  /** `at`: an ISO 8601 instant (or a Date). */
  hostAt(host: string, at: string | Date): Promise<HostStateView>;
  /** Retries the host in the campaign that last touched it. */
  retryHost(host: string, options: Actor): Promise<RetryResult>;
  /** Cancels what runs on the host (its upgrade, or an operator's action); the upgrade undoes what it had started. */
  cancelHost(host: string, options: Actor & { reason?: string }): Promise<HostCancelResult>;
  /** rollback, abandon, commit or observe one host, recorded with who and why. */
  hostAction(host: string, action: HostAction, options: Actor & { reason?: string }): Promise<HostActionOutcome>;
  /** A new API token; the secret is in the answer once and never stored. */
  createToken(options: Actor & { name: string; role: string }): Promise<CreatedToken>;
  revokeToken(name: string, options: Actor): Promise<TokenView>;
  listTokens(): Promise<TokenView[]>;
}

export function createBankswitchApp(deps: BankswitchAppDeps): BankswitchApp {
  const { prisma, records } = deps;
  const hostId = async (ref: string) => (await findHost(prisma, ref)).id;
  const app: BankswitchApp = {
    importHosts: (inventory) => importHosts(prisma, inventory),
    listHosts: (filter) => listHosts(prisma, records, filter),
    showHost: (host) => showHost(prisma, records, host),
    observeHosts: (options) => observeHostsNow(deps, options),
    planCampaign: (specText, options = {}) => planSpec(prisma, records, specText, options.format),
    async launchCampaign(specText, options) {
      const parsed = parseCampaignSpec(specText, options.format);
      if (parsed.ok) {
        const earlier = await launchedBefore(deps, parsed.spec.name);
        if (earlier) return earlier;
      }
      const plan = await planSpec(prisma, records, specText, options.format);
      return { ...(await launchCampaign(deps, plan, { by: options.by, specDir: options.specDir })), plan };
    },
    listCampaigns: (options) => listCampaigns(deps, options),
    campaignStatus: (id) => campaignStatus(deps, id),
    pauseCampaign: (id, options) => actOnCampaign(deps, id, 'pause', options),
    resumeCampaign: (id, options) => actOnCampaign(deps, id, 'resume', options),
    approveCampaign: (id, options) => actOnCampaign(deps, id, 'approve', options),
    cancelCampaign: (id, options) => actOnCampaign(deps, id, 'cancel', options),
    approveCampaignHosts: (id, options) => approveCampaignHosts(deps, id, options),
    async approveHost(host, options) {
      const id = await hostId(host);
      await records.store.projections.catchUp();
      const row = await records.hostBanks(id);
      const campaignId = row?.state.standing?.state === 'upgrading' ? row.state.standing.campaignId : null;
      if (!campaignId) throw new ConflictError(`host ${id} is not being upgraded by a campaign: there is nothing to approve`);
      return approveCampaignHosts(deps, campaignId, { by: options.by, hostIds: [id], ...(options.point ? { point: options.point } : {}) });
    },
    retryCampaign: (id, options) => retryCampaign(deps, id, options),
    campaignTimeline: (id, options) => campaignTimeline(records, id, options),
    campaignLaunches: (options) => campaignLaunches(records, options),
    async hostHistory(host) {
      const id = await hostId(host);
      return { hostId: id, entries: await hostTimeline(records, id) };
    },
    async hostAt(host, at) {
      const id = await hostId(host);
      return hostBanksAt(records, id, typeof at === 'string' ? parseInstant(at) : at);
    },
    async retryHost(host, options) {
      const id = await hostId(host);
      await records.store.projections.catchUp();
      const row = await records.hostBanks(id);
      const campaignId = row?.state.standing?.campaignId ?? row?.lastCampaignId;
      if (!campaignId) throw new ConflictError(`host ${id} has not been in any campaign yet: there is nothing to retry; launch a campaign that selects it`);
      return retryCampaign(deps, campaignId, { by: options.by, hostIds: [id] });
    },
    async cancelHost(host, options) {
      const id = await hostId(host);
      const workflowId = hostWorkflowId(id);
      const running = await describeOrUndefined(deps.temporal, workflowId);
      if (!running || running.status.name !== 'RUNNING') {
        throw new ConflictError(`nothing runs on host ${id} (workflow ${workflowId} is ${running ? running.status.name.toLowerCase() : 'unknown'}): nothing to cancel`);
      }
      const reason = options.reason ?? `cancelled by ${options.by}`;
      try {
        // Through the service so that Temporal's history says who cancelled and why.
        await deps.temporal.workflowService.requestCancelWorkflowExecution({
          namespace: deps.temporal.options.namespace,
          workflowExecution: { workflowId, runId: running.runId },
          identity: `bankswitch:${options.by}`,
          requestId: randomUUID(),
          reason,
        });
      } catch (error) {
        throw unavailable(error);
      }
      return { hostId: id, workflowId, message: `cancellation of ${workflowId} requested (${reason}); an upgrade undoes what it had started and reports how the host ended to its campaign` };
    },
    async hostAction(host, action, options) {
      return takeHostAction(deps, await findHost(prisma, host), action, options);
    },
    createToken: (options) => createToken(prisma, options),
    revokeToken: (name, options) => revokeToken(prisma, name, options.by),
    listTokens: () => listTokens(prisma),
  };
  return withInfrastructureErrors(app, deps.databaseUrl);
}
