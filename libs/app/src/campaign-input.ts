import path from 'node:path';
import type { CampaignPlan, CampaignSpec } from '@bankswitch/campaign-spec';
import type { CampaignInput } from '@bankswitch/workflows';

export interface CampaignInputOptions {
  readonly campaignId: string;
  readonly operator?: string;
  /** Folder the spec file was read from: a relative payload path is taken from there. */
  readonly specDir?: string;
}

/** The campaign workflow's input from a validated spec and its plan. */
export function campaignInputFromPlan(spec: CampaignSpec, plan: CampaignPlan, options: CampaignInputOptions): CampaignInput {
  const clusters: Record<string, string> = {};
  for (const host of plan.hosts) clusters[host.id] = host.cluster;
  const ids = new Map<string, string>();
  for (const host of plan.hosts) {
    ids.set(host.id, host.id);
    ids.set(host.name, host.id);
  }
  return {
    campaignId: options.campaignId,
    name: spec.name,
    target: { ...spec.target, payload: path.resolve(options.specDir ?? process.cwd(), spec.target.payload) },
    waves: plan.waves.map((wave) => ({ kind: wave.kind, hostIds: wave.hostIds })),
    clusters,
    maxInFlight: spec.strategy.maxInFlight,
    maxPerCluster: spec.strategy.maxPerCluster ?? undefined,
    failureBudget: plan.failureBudget,
    pauseBetweenWaves: spec.strategy.pauseBetweenWaves,
    ...(spec.strategy.rampUp ? { rampUp: spec.strategy.rampUp } : {}),
    ...(spec.windows.length > 0 ? { windows: spec.windows } : {}),
    ...(spec.gates.length > 0 ? { gates: spec.gates } : {}),
    // Only a spec with a pause point passes approvals: campaigns without keep the inputs (and histories) they had.
    ...(Object.values(spec.approvals).some((scope) => scope !== 'none') ? { approvals: spec.approvals } : {}),
    // Only a spec with a barrier passes one: campaigns with `commit: host` keep the inputs (and histories) they had.
    ...(spec.commit === 'host' ? {} : { commitBarrier: { scope: spec.commit, timeoutMs: spec.strategy.timeouts.barrierMs } }),
    timeouts: spec.strategy.timeouts,
    maintenance: spec.strategy.maintenance,
    checks: spec.verification.checks.map((check) => check.name),
    // Without requireRollbackImage every host is waived; otherwise only those listed.
    waiveRollbackImage: spec.verification.requireRollbackImage
      ? spec.verification.waiveRollbackImage.map((name) => ids.get(name) ?? name)
      : plan.hosts.map((h) => h.id),
    operator: options.operator,
  };
}
