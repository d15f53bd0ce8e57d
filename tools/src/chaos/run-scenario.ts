// Runs one chaos scenario against real servers and processes: a fleet of agent
// processes (one host each, so that a host can be killed alone), worker processes, a
// campaign; the scenario's injection while it runs; then every host's end as the host
// reports it, next to the engine's record, judged by evaluate.ts.
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { campaignInputFromPlan } from '@bankswitch/app';
import { planCampaign, validateCampaignSpec } from '@bankswitch/campaign-spec';
import type { PrismaClient } from '@bankswitch/event-store';
import { createHostDriver } from '@bankswitch/host-driver';
import type { Records } from '@bankswitch/records';
import { campaignWorkflow, campaignWorkflowId, hostStepQuery, hostWorkflowId } from '@bankswitch/workflows';
import { OLD_BUILD, PREVIOUS_BUILD } from '../demo/engine';
import { hostRows, launchFleet, type Fleet } from '../fleet/index';
import type { LocalStack } from '../local-stack/index';
import { campaignDuplicates, campaignOf, judgeHost, type HostTruth, type HostVerdict, type RecordedFact } from './evaluate';
import type { ChaosContext, Scenario } from './scenario';
import { workerPool } from './workers';

export interface ChaosEnvironment {
  readonly stack: LocalStack;
  readonly client: Client;
  readonly prisma: PrismaClient;
  readonly records: Records;
  readonly image: { readonly path: string; readonly sha256: string; readonly build: string };
  readonly dir: string;
  readonly log: (line: string) => void;
}

export interface ScenarioResult {
  readonly name: string;
  readonly what: string;
  readonly campaign: string;
  readonly hosts: readonly HostVerdict[];
  readonly lost: number;
  readonly duplicated: number;
  readonly undecided: number;
  readonly hung: number;
  /** Hosts whose end state is not one the scenario allows. */
  readonly unexpected: readonly string[];
  readonly chainsOk: boolean;
  readonly seconds: number;
  /** Everything that went wrong, in words (shown under the table). */
  readonly problems: readonly string[];
}

/** How long a scenario's campaign may take before it counts as hung. */
const CAMPAIGN_BOUND_MS = 300_000;
/** How long host workflows may take to close after their campaign ended. */
const HOSTS_BOUND_MS = 120_000;

export async function runScenario(scenario: Scenario, env: ChaosEnvironment): Promise<ScenarioResult> {
  const started = Date.now();
  const problems: string[] = [];
  let hung = 0;
  const dir = path.join(env.dir, scenario.name);
  fs.mkdirSync(dir, { recursive: true });
  const host = (n: number) => `${scenario.name}-esx${String(n).padStart(2, '0')}`;
  const faults = Object.fromEntries(Object.entries(scenario.faults ?? {}).map(([n, f]) => [host(Number(n)), f]));
  const fleet: Fleet = await launchFleet({
    dir: path.join(dir, 'fleet'),
    clusters: [{ name: scenario.name, hosts: scenario.hosts }],
    faults: { hosts: faults },
    hostsPerProcess: 1,
    rebootMs: 300,
    baseBuild: OLD_BUILD,
    previousBuild: PREVIOUS_BUILD,
  });
  const taskQueue = `chaos-${scenario.name}-${randomUUID().slice(0, 6)}`;
  const workers = workerPool({
    env: { DATABASE_URL: env.stack.databaseUrl, TEMPORAL_ADDRESS: env.stack.temporalAddress, BANKSWITCH_TASK_QUEUE: taskQueue, BANKSWITCH_MAX_ACTIVITIES: '20', BANKSWITCH_DRIFT_WATCH_EVERY: 'off' },
    logPath: path.join(dir, 'workers.log'),
    markerPath: path.join(dir, 'crashed'),
  });
  const campaignId = `${scenario.name}-${randomUUID().slice(0, 6)}`;
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  const until = async <T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 120_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe().catch(() => undefined);
      if (value !== undefined && value !== false) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(100);
    }
  };
  const ctx: ChaosContext = {
    stack: env.stack,
    workers,
    fleet,
    client: env.client,
    campaignId,
    host,
    stepOf: async (hostId) => env.client.workflow.getHandle(hostWorkflowId(hostId)).query(hostStepQuery).catch(() => undefined),
    until,
    sleep,
    log: env.log,
  };
  try {
    await env.prisma.host.createMany({
      data: hostRows(fleet.inventory),
      skipDuplicates: true,
    });
    await workers.start(scenario.crashAfter ? { crashAfter: `${scenario.crashAfter.activity}@${host(scenario.crashAfter.host)}` } : {});
    await Promise.all(Array.from({ length: (scenario.workers ?? 1) - 1 }, () => workers.start()));
    await scenario.before?.(ctx);

    const validated = validateCampaignSpec({
      name: campaignId,
      target: { build: env.image.build, payload: env.image.path, sha256: env.image.sha256 },
      hosts: { clusters: [scenario.name] },
      strategy: { canary: 1, waves: ['100%'], maxInFlight: 2, failureBudget: 1, pauseBetweenWaves: 'none', timeouts: { reboot: '15s' }, ...scenario.strategy },
      verification: { checks: [{ name: 'vmkernel', type: 'health' }] },
    });
    if (!validated.ok) throw new Error(`scenario ${scenario.name} has a bad spec: ${JSON.stringify(validated.errors)}`);
    const planned = planCampaign(validated.spec, fleet.inventory);
    if (!planned.ok) throw new Error(`scenario ${scenario.name} cannot be planned: ${JSON.stringify(planned.errors)}`);
    const input = campaignInputFromPlan(validated.spec, planned.plan, { campaignId, operator: 'chaos' });
    await env.client.workflow.start(campaignWorkflow, {
      taskQueue,
      workflowId: campaignWorkflowId(campaignId),
      args: [{ ...input, timeouts: { ...input.timeouts, watchMs: 90_000 } }],
    });

    const injection = (scenario.inject?.(ctx) ?? Promise.resolve()).then(
      () => undefined,
      (error: unknown) => problems.push(`the injection failed: ${error instanceof Error ? error.message : String(error)}`),
    );
    if (!(await campaignEnds(env.client, campaignId, CAMPAIGN_BOUND_MS))) {
      hung += 1;
      problems.push(`the campaign did not end within ${CAMPAIGN_BOUND_MS / 1000} s`);
    }
    if ((await Promise.race([injection.then(() => 'done'), sleep(60_000).then(() => 'late')])) === 'late') {
      hung += 1;
      problems.push('the injection did not finish');
    }
    const stillRunning = await hostsSettle(env.client, fleet.inventory.map((h) => h.id), HOSTS_BOUND_MS);
    for (const id of stillRunning) {
      hung += 1;
      problems.push(`the upgrade of ${id} still runs ${HOSTS_BOUND_MS / 1000} s after its campaign ended`);
    }
    return await judge(scenario, env, fleet, campaignId, { started, hung, problems });
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
    return { name: scenario.name, what: scenario.what, campaign: 'error', hosts: [], lost: 0, duplicated: 0, undecided: 0, hung: hung + 1, unexpected: [], chainsOk: false, seconds: (Date.now() - started) / 1000, problems };
  } finally {
    await terminateLeftovers(env.client, campaignId, fleet.inventory.map((h) => h.id));
    await workers.stopAll().catch(() => undefined);
    await fleet.stop().catch(() => undefined);
  }
}

async function judge(
  scenario: Scenario,
  env: ChaosEnvironment,
  fleet: Fleet,
  campaignId: string,
  so: { started: number; hung: number; problems: string[] },
): Promise<ScenarioResult> {
  const { store } = env.records;
  await store.projections.catchUp();
  const facts = (events: Awaited<ReturnType<typeof store.readStream>>): RecordedFact[] => events.map((e) => ({ type: e.type, data: e.data, causationId: e.metadata.causationId }));
  const campaignEvents = facts(await store.readStream(`campaign-${campaignId}`));
  const campaign = campaignOf(campaignId, campaignEvents);
  const verdicts: HostVerdict[] = [];
  const unexpected: string[] = [];
  let chainsOk = (await store.verifyStream(`campaign-${campaignId}`)).ok;
  for (const [index, inventoryHost] of fleet.inventory.entries()) {
    const truth = await truthOf(inventoryHost);
    const verdict = judgeHost({ hostId: inventoryHost.id, truth, events: facts(await store.readStream(`host-${inventoryHost.id}`)) }, campaign);
    verdicts.push(verdict);
    chainsOk = chainsOk && (await store.verifyStream(`host-${inventoryHost.id}`)).ok;
    const allowed = scenario.expect?.[index + 1] ?? ['upgraded'];
    if (!allowed.includes(verdict.endState.split(' ')[0] ?? '')) unexpected.push(`${inventoryHost.id} ${verdict.endState} (expected ${allowed.join(' or ')})`);
  }
  const campaignDups = campaignDuplicates(campaignEvents);
  const problems = [
    ...so.problems,
    ...verdicts.flatMap((v) => [...v.lost.map((p) => `${v.hostId} lost: ${p}`), ...v.duplicated.map((p) => `${v.hostId} duplicated: ${p}`), ...v.undecided.map((p) => `${v.hostId} undecided: ${p}`)]),
    ...campaignDups.map((p) => `campaign duplicated: ${p}`),
    ...unexpected.map((p) => `unexpected end: ${p}`),
    ...(chainsOk ? [] : ['a hash chain does not verify']),
  ];
  return {
    name: scenario.name,
    what: scenario.what,
    campaign: campaign.status,
    hosts: verdicts,
    lost: verdicts.reduce((n, v) => n + v.lost.length, 0),
    duplicated: verdicts.reduce((n, v) => n + v.duplicated.length, 0) + campaignDups.length,
    undecided: verdicts.filter((v) => v.undecided.length > 0).length,
    hung: so.hung,
    unexpected,
    chainsOk,
    seconds: (Date.now() - so.started) / 1000,
    problems,
  };
}

/** The host's own account of its banks; a few tries, since some scenarios drop connections on purpose. */
async function truthOf(host: Fleet['inventory'][number]): Promise<HostTruth> {
  const driver = createHostDriver(host);
  for (let attempt = 0; attempt < 8; attempt++) {
    try {
      const state = await driver.getState({ timeoutMs: 2_000 });
      return { reachable: true, bootedBank: state.bootedBank, bank0: state.banks[0].bootCfg, bank1: state.banks[1].bootCfg };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  return { reachable: false };
}

/** Waits for the campaign's workflow chain to close (it may continue as new, and Temporal may restart under it). */
async function campaignEnds(client: Client, campaignId: string, boundMs: number): Promise<boolean> {
  const deadline = Date.now() + boundMs;
  while (Date.now() < deadline) {
    const description = await client.workflow.getHandle(campaignWorkflowId(campaignId)).describe().catch(() => undefined);
    if (description && description.status.name !== 'RUNNING') return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

/** Host workflows still running after the bound, except those watching a host that does not answer (that is their job). */
async function hostsSettle(client: Client, hostIds: readonly string[], boundMs: number): Promise<string[]> {
  const deadline = Date.now() + boundMs;
  for (;;) {
    const running: string[] = [];
    for (const id of hostIds) {
      const handle = client.workflow.getHandle(hostWorkflowId(id));
      const description = await handle.describe().catch((error: unknown) => (error instanceof WorkflowNotFoundError ? undefined : null));
      if (description?.status.name !== 'RUNNING') continue;
      const step = await handle.query(hostStepQuery).catch(() => undefined);
      if (step !== 'watching') running.push(id);
    }
    if (running.length === 0 || Date.now() > deadline) return running;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function terminateLeftovers(client: Client, campaignId: string, hostIds: readonly string[]): Promise<void> {
  for (const id of [campaignWorkflowId(campaignId), ...hostIds.map(hostWorkflowId)]) {
    await client.workflow.getHandle(id).terminate('chaos scenario over').catch(() => undefined);
  }
}
