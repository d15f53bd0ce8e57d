// The chaos scenarios: each runs a small campaign and does one bad thing to the engine,
// the database, Temporal, the network or a host while it runs.
import { campaignWorkflowId, cancelUpdate, hostWorkflowId, progressQuery, retryHostsUpdate } from '@bankswitch/workflows';
import type { ChaosContext, Scenario } from './scenario';

/** temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED: a worker runs it. */
const PENDING_ACTIVITY_STARTED = 2;

/** Waits until the host's upgrade is at this step (its workflow's query). */
const atStep = (ctx: ChaosContext, hostId: string, ...steps: string[]) =>
  ctx.until(`${hostId} to be ${steps.join(' or ')}`, async () => steps.includes((await ctx.stepOf(hostId)) ?? ''));

const outages = (ctx: ChaosContext) => {
  if (!ctx.stack.outages) throw new Error('this stack cannot stop its servers (it did not start them)');
  return ctx.stack.outages;
};

const workerKilledAfter = (activity: string, what: string, extra: Partial<Scenario> = {}): Scenario => ({
  name: `kill-after-${activity.replace(/Host|Image/, '').toLowerCase()}`,
  what: `worker SIGKILLed right after ${what} (work done, completion lost), restarted`,
  hosts: 3,
  crashAfter: { activity, host: 2 },
  inject: async (ctx) => {
    await ctx.workers.crashed();
  },
  ...extra,
});

export const scenarios: readonly Scenario[] = [
  workerKilledAfter('stageImage', 'stageImage'),
  workerKilledAfter('rebootHost', 'rebootHost'),
  workerKilledAfter('awaitHostBoot', 'awaitHostBoot', { quick: true }),
  workerKilledAfter('verifyHost', 'verifyHost'),
  workerKilledAfter('commitHost', 'commitHost'),
  workerKilledAfter('rollBackHost', 'rollBackHost (host 2 fails its health check)', { faults: { 2: { failHealth: true } }, expect: { 2: ['rolled-back'] } }),
  {
    // Production runs several workers on one task queue: losing one must cost nothing but time.
    name: 'one-of-three-workers-lost',
    what: 'one of three workers SIGKILLed while it runs a host\'s boot wait, never restarted: the other two carry on',
    quick: true,
    hosts: 5,
    workers: 3,
    faults: { 2: { slowRebootMs: 3_000 }, 3: { slowRebootMs: 3_000 } },
    strategy: { maxInFlight: 3, timeouts: { reboot: '60s' } },
    inject: async (ctx) => {
      // The worker that runs an upgrade's boot wait right now (its identity is "<pid>@<host>").
      const victim = await ctx.until('a worker of the pool running a boot wait', async () => {
        const pids = ctx.workers.pids();
        for (let n = 1; n <= 5; n++) {
          const description = await ctx.client.workflow.getHandle(hostWorkflowId(ctx.host(n))).describe().catch(() => undefined);
          for (const activity of description?.raw.pendingActivities ?? []) {
            const pid = Number(/^(\d+)@/.exec(activity.lastWorkerIdentity ?? '')?.[1]);
            if (activity.activityType?.name === 'awaitHostBoot' && activity.state === PENDING_ACTIVITY_STARTED && pids.includes(pid)) return pid;
          }
        }
        return undefined;
      });
      if (!(await ctx.workers.kill(victim))) throw new Error(`worker ${victim} was not the pool's to kill`);
      ctx.log(`killed worker ${victim}; ${ctx.workers.pids().length} carry on`);
      if (ctx.workers.pids().length !== 2) throw new Error(`expected 2 workers to carry on, ${ctx.workers.pids().length} run`);
    },
  },
  {
    name: 'postgres-down',
    what: 'PostgreSQL stopped for 30 s while hosts reboot, then started again',
    quick: true,
    hosts: 4,
    faults: { 2: { slowRebootMs: 3_000 }, 3: { slowRebootMs: 3_000 } },
    strategy: { maxInFlight: 3, timeouts: { reboot: '60s' } },
    inject: async (ctx) => {
      await atStep(ctx, ctx.host(2), 'rebooting');
      await outages(ctx).stopPostgres();
      await ctx.sleep(process.env.CHAOS_QUICK ? 12_000 : 30_000);
      await outages(ctx).startPostgres();
    },
  },
  {
    name: 'temporal-restart',
    what: 'the Temporal server restarted (same SQLite file) while hosts reboot',
    hosts: 4,
    faults: { 2: { slowRebootMs: 2_000 }, 3: { slowRebootMs: 2_000 } },
    strategy: { maxInFlight: 3, timeouts: { reboot: '60s' } },
    inject: async (ctx) => {
      await atStep(ctx, ctx.host(2), 'rebooting');
      await outages(ctx).restartTemporal();
    },
  },
  {
    name: 'agent-killed',
    what: "a host's agent SIGKILLed mid-reboot, started again 2 s later",
    hosts: 3,
    faults: { 2: { slowRebootMs: 3_000 } },
    inject: async (ctx) => {
      await atStep(ctx, ctx.host(2), 'rebooting');
      await ctx.fleet.killAgent(ctx.fleet.agentOf(ctx.host(2)));
      await ctx.sleep(2_000);
      await ctx.fleet.restartAgent(ctx.fleet.agentOf(ctx.host(2)));
    },
  },
  {
    name: 'agent-gone',
    what: "a host's agent killed for good mid-reboot",
    quick: true,
    hosts: 3,
    faults: { 2: { slowRebootMs: 3_000 } },
    strategy: { timeouts: { reboot: '8s' } },
    expect: { 2: ['needs-attention'] },
    inject: async (ctx) => {
      await atStep(ctx, ctx.host(2), 'rebooting');
      await ctx.fleet.killAgent(ctx.fleet.agentOf(ctx.host(2)));
    },
  },
  {
    name: 'hang-on-boot',
    what: 'a host hangs at its first boot of the new image; power-cycled later, the loader falls back',
    hosts: 3,
    faults: { 2: { hangOnBoot: true } },
    strategy: { timeouts: { reboot: '6s' } },
    expect: { 2: ['fell-back'] },
    inject: async (ctx) => {
      // Reported as needing attention; the workflow watches it; a power-cycle lets the loader fall back.
      await atStep(ctx, ctx.host(2), 'watching');
      await ctx.fleet.admin.powerCycle(ctx.host(2));
      await ctx.until('the watch to settle it', async () => (await ctx.client.workflow.getHandle(hostWorkflowId(ctx.host(2))).describe()).status.name !== 'RUNNING');
    },
  },
  {
    name: 'cancel-mid-stage',
    what: 'the campaign cancelled while a host stages its image',
    quick: true,
    hosts: 3,
    faults: { 2: { slowStageMs: 3_000 } },
    // Host 3 may be in flight too (two at a time): settled the same way.
    expect: { 2: ['rolled-back', 'untouched'], 3: ['rolled-back', 'untouched'] },
    inject: async (ctx) => {
      await atStep(ctx, ctx.host(2), 'staging');
      await ctx.client.workflow.getHandle(campaignWorkflowId(ctx.campaignId)).executeUpdate(cancelUpdate, { args: [{ by: 'chaos', reason: 'cancel mid-stage' }] });
    },
  },
  {
    name: 'cancel-mid-reboot',
    what: 'the campaign cancelled while a host reboots into its new image',
    hosts: 3,
    faults: { 2: { slowRebootMs: 3_000 } },
    expect: { 2: ['rolled-back'], 3: ['untouched', 'rolled-back'] },
    inject: async (ctx) => {
      await atStep(ctx, ctx.host(2), 'rebooting');
      await ctx.client.workflow.getHandle(campaignWorkflowId(ctx.campaignId)).executeUpdate(cancelUpdate, { args: [{ by: 'chaos', reason: 'cancel mid-reboot' }] });
    },
  },
  {
    name: 'retry-earlier-wave',
    what: 'a host of an earlier wave retried while a later wave runs',
    quick: true,
    hosts: 4,
    faults: { 2: { failBoot: true }, 3: { slowRebootMs: 3_000 }, 4: { slowRebootMs: 3_000 } },
    strategy: { waves: [1, '100%'], maxInFlight: 2, failureBudget: 2 },
    inject: async (ctx) => {
      await ctx.until('host 2 to fall back while wave 2 runs', async () => {
        const progress = await ctx.client.workflow.getHandle(campaignWorkflowId(ctx.campaignId)).query(progressQuery);
        const status = (n: number) => progress.hosts.find((h) => h.hostId === ctx.host(n))?.status;
        return status(2) === 'fell-back' && status(3) === 'running';
      });
      await ctx.fleet.admin.setHostFaults(ctx.host(2), {});
      await ctx.client.workflow.getHandle(campaignWorkflowId(ctx.campaignId)).executeUpdate(retryHostsUpdate, { args: [{ by: 'chaos', hostIds: [ctx.host(2)] }] });
    },
  },
  {
    name: 'damaged-boot-cfg',
    what: "a host whose running bank's boot.cfg is truncated: refused before anything is written",
    quick: true,
    hosts: 3,
    strategy: { failureBudget: 1 },
    expect: { 2: ['untouched'] },
    before: async (ctx) => {
      const { writeDamagedBootCfg } = await import('./damage');
      await writeDamagedBootCfg(ctx.fleet, ctx.host(2));
    },
  },
  {
    name: 'flaky-network',
    what: "30 % of a host's connections dropped for the whole upgrade",
    hosts: 3,
    faults: { 2: { dropConnections: { probability: 0.3 } } },
  },
];
