// A rolling campaign as a thin driver of the campaign decider (@bankswitch/campaign):
// every input (launch, a host's report, an operator's update, a timer, a child that
// ended without reporting) becomes a command; `decide` rules on it against the state,
// the state moves on with the events it returns, and the events are appended in order,
// each append at the stream version it was decided on, before anything they call for
// (a host started, hosts cancelled, a timer) happens. Hosts report by signal so that
// they can outlive a continue-as-new of this workflow. Since the patch
// `campaign-starts-hosts-by-activity` host workflows are started by an activity through
// the client, not as children, and a watch looks for any that ended without reporting.
import {
  ApplicationFailure,
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { CampaignActivities, HostOutcome } from '@bankswitch/activities';
import {
  approvalPointsFor,
  barrierIdOf,
  decide,
  evolveAll,
  gateHolds,
  initialState,
  isEnded,
  progressOf,
  type ApprovalPoint,
  type CampaignCommand,
  type CampaignGate,
  type CampaignRefusal,
  type CampaignState,
  type CurrentCampaignEvent,
} from '@bankswitch/campaign';
import type { CampaignInput, PendingEvents } from './campaign-input';
import type { HostUpgradeInput } from './host-upgrade-input';
import { DEFAULT_HOST_WATCH_MS, chunked, silentHosts } from './host-watch';
import {
  approveHostSignal,
  approveHostsUpdate,
  approveUpdate,
  campaignActivityTaskQueue,
  hostAwaitingApprovalSignal,
  hostAwaitingCommitSignal,
  releaseCommitBarrierSignal,
  cancelUpdate,
  hostFinishedSignal,
  hostWorkflowId,
  pauseUpdate,
  progressQuery,
  resumeUpdate,
  retryHostsUpdate,
  type OperatorAction,
} from './definitions';
import { appendBatchSize } from './append-batch';
import { compactState, expandState } from './carried-state';
import { failureText } from './failure-text';
import { hostUpgradeWorkflow } from './host-upgrade.workflow';

/**
 * The campaign's own activities, on `taskQueue` (CAMPAIGN_QUEUE_PATCH) or, without it,
 * on the workflow's task queue.
 */
function campaignActivities(taskQueue: string | undefined) {
  const on = taskQueue === undefined ? {} : { taskQueue };
  // Appends wait for PostgreSQL as long as it is away (no attempt limit).
  const { appendCampaignEvents } = proxyActivities<CampaignActivities>({
    ...on,
    startToCloseTimeout: '30s',
    retry: { initialInterval: '1s', maximumInterval: '30s' },
  });
  // Host workflows started through the client: retried as long as Temporal does not answer
  // (a decided start must be confirmed, or found refused, before a cancel or a continue-as-new).
  const { startHostWorkflows } = proxyActivities<CampaignActivities>({
    ...on,
    startToCloseTimeout: '2m',
    // Each start answered heartbeats: a chunk whose worker died is retried within seconds.
    heartbeatTimeout: '15s',
    retry: { initialInterval: '1s', maximumInterval: '30s' },
  });
  // Looking for hosts that ended without reporting: a round that fails is made up by the next one.
  const { findEndedHostWorkflows } = proxyActivities<CampaignActivities>({ ...on, startToCloseTimeout: '2m', heartbeatTimeout: '30s', retry: { maximumAttempts: 3 } });
  // One sample of a gate; the activity answers null (a failing sample) for a server that errs.
  const { queryGate } = proxyActivities<CampaignActivities>({ ...on, startToCloseTimeout: '30s', retry: { maximumAttempts: 3 } });
  // Waiting on the log for hosts' ends (ENDS_FROM_LOG_PATCH): retried as long as PostgreSQL is away.
  const { awaitHostEnds } = proxyActivities<CampaignActivities>({
    ...on,
    startToCloseTimeout: HOST_ENDS_WAIT_MS + 60_000,
    heartbeatTimeout: '20s',
    retry: { initialInterval: '1s', maximumInterval: '30s' },
  });
  return { appendCampaignEvents, startHostWorkflows, findEndedHostWorkflows, queryGate, awaitHostEnds };
}

// Cron arithmetic for maintenance windows: no I/O, recorded once in the history.
const { maintenanceWindowAt } = proxyLocalActivities<CampaignActivities>({ startToCloseTimeout: '10s' });

/** A gate is sampled at the start and end of its `for` window and every tenth of it between (at least 1 s apart). */
export const gateSampleIntervalMs = (forMs: number): number => Math.max(1_000, Math.ceil(forMs / 10));

/** Marks runs that carry their unappended events into the next run when they continue as new. */
const CARRY_OUTBOX_PATCH = 'campaign-carries-outbox-on-continue-as-new';

/** Marks runs that append several decisions at once and start a batch's hosts together. */
const BATCH_PATCH = 'campaign-batches-appends-and-host-starts';
/** Host workflows being started (or told a barrier's decision) at once, at most (BATCH_PATCH). */
const MAX_STARTS_UNDER_WAY = 20;

/**
 * Marks runs that start host workflows from an activity through the client instead of as
 * children, and watch for hosts whose workflow ended without reporting instead of following
 * each child's result. Each start and end of a child was an update of this one history,
 * which the server serializes: about 4 starts a second on the full server (issue 13).
 */
const BY_ACTIVITY_PATCH = 'campaign-starts-hosts-by-activity';
/** Marks runs whose own activities go to the campaign activity queue (campaignActivityTaskQueue). */
const CAMPAIGN_QUEUE_PATCH = 'campaign-activities-on-own-queue';
/** Hosts one start activity starts together, and such activities under way at once (BY_ACTIVITY_PATCH): 200 starts in flight. */
const HOSTS_PER_START_ACTIVITY = 50;
const START_ACTIVITIES_UNDER_WAY = 4;
/** Hosts one lookup activity of the watch describes (sequential calls: the watch is no hurry). */
const HOSTS_PER_WATCH_ACTIVITY = 200;
/**
 * Marks runs that learn their hosts' ends from the `UpgradeEnded` events the hosts record,
 * many in one activity's answer, instead of one signal from each host (each signal was an
 * update of this one history, which Temporal serializes: at 1,000 hosts in flight the
 * reports queued for tens of seconds, issue 13). Hosts this run starts are told not to
 * signal their end (HostUpgradeInput.reportEndBy); signals are still taken in, from hosts
 * an earlier run started and for a settlement after a host needed attention.
 */
const ENDS_FROM_LOG_PATCH = 'campaign-takes-host-ends-from-log';
/** An answer of awaitHostEnds with no end after this long. */
const HOST_ENDS_WAIT_MS = 30_000;

type HostStartedData = Extract<CurrentCampaignEvent, { type: 'HostStarted' }>['data'];

/** Continue-as-new well before Temporal's limits (51,200 events / 50 MB) would be near. */
const HISTORY_EVENTS_BEFORE_CONTINUE_AS_NEW = 8_000;

export async function campaignWorkflow(input: CampaignInput): Promise<CampaignState> {
  // A retry run passes `carried` (the events folded); a continue-as-new run its compact form.
  let state: CampaignState = input.carried ?? (input.carriedCompact ? expandState(input.carriedCompact) : initialState(input.campaignId));
  // A continue-as-new run starts with what the last run decided and had not appended yet.
  const outbox: PendingEvents[] = [...(input.pending ?? [])];
  /** Host workflows whose start the server has not confirmed yet, and starts waiting for their turn (BATCH_PATCH). */
  const startsUnderWay = new Set<Promise<void>>();
  const startQueue: (() => Promise<void>)[] = [];
  // Decided once per run: all of a run's hosts are started and followed one way. Runs
  // that began before the patch keep children until they continue as new.
  const byActivity = patched(BY_ACTIVITY_PATCH);
  // Decided once per run too: runs that began before it schedule on the workflow's queue.
  const { appendCampaignEvents, startHostWorkflows, findEndedHostWorkflows, queryGate, awaitHostEnds } = campaignActivities(
    patched(CAMPAIGN_QUEUE_PATCH) ? campaignActivityTaskQueue(workflowInfo().taskQueue) : undefined,
  );
  // Decided once per run as well: only runs that start hosts by activity follow ends this way.
  const endsFromLog = byActivity && patched(ENDS_FROM_LOG_PATCH);
  /** ENDS_FROM_LOG_PATCH: where the log was read to (carried through a continue-as-new). */
  let hostEndsAfter = input.hostEndsAfter ?? null;
  /** Starts (BATCH_PATCH: host workflows; BY_ACTIVITY_PATCH: start activities) under way at once. */
  const startsAtOnce = byActivity ? START_ACTIVITIES_UNDER_WAY : MAX_STARTS_UNDER_WAY;
  /**
   * When the campaign last heard of each running host (its start confirmed, a signal from
   * it), by the workflow's clock: the watch looks up only hosts silent for its interval.
   */
  const lastHeard = new Map<string, number>();
  const heardFrom = (hostId: string) => void lastHeard.set(hostId, Date.now());
  /** When the watch's current interval began (carried through a continue-as-new). */
  let hostWatchFrom = input.hostWatchFrom ?? Date.now();

  /**
   * Decides a command now: the state moves on at once (queries and validators see it),
   * and its events wait in the outbox, appended in order by the loop below before
   * anything they call for happens. Returns the refusal, if the decider refused.
   */
  function apply(command: CampaignCommand, operator?: string): CampaignRefusal | undefined {
    const decision = decide(command, state);
    if (!decision.ok) return decision.refusal;
    if (decision.events.length === 0) return undefined;
    outbox.push({ events: decision.events, version: state.version, operator });
    state = evolveAll(state, decision.events);
    return undefined;
  }
  const refusedAsFailure = (refusal: CampaignRefusal) => ApplicationFailure.nonRetryable(refusal.message, 'InvalidInput');
  /**
   * Operators act through updates: the validator refuses at once what the decider would
   * refuse; an accepted update answers with the progress it led to (its events are
   * appended in order, also while PostgreSQL is away).
   */
  function operatorUpdate<A extends OperatorAction>(toCommand: (action: A) => CampaignCommand) {
    return {
      handler: (action: A) => {
        const refusal = apply(toCommand(action), action.by);
        if (refusal) throw refusedAsFailure(refusal);
        return Promise.resolve(progressOf(state));
      },
      validator: (action: A) => {
        const decision = decide(toCommand(action), state);
        if (!decision.ok) throw refusedAsFailure(decision.refusal);
      },
    };
  }

  // Launch (or a retry run's requeue) is decided before any handler exists: nothing an
  // operator sends can be recorded before the campaign's first event.
  if (!input.carried && !input.carriedCompact) {
    const refusal = apply({ type: 'Launch', plan: planOf(input) }, input.operator);
    if (refusal) throw refusedAsFailure(refusal);
  }
  for (const report of input.endedMeanwhile ?? []) apply({ type: 'HostFinished', report });
  if (input.retry) {
    const refusal = apply({ type: 'Retry', by: input.retry.by, hostIds: input.retry.hostIds }, input.retry.by);
    if (refusal) throw refusedAsFailure(refusal);
  }

  // Hosts running when this run begins (started by the last run) count as heard of when
  // its watch interval began; those whose start this run makes are added once confirmed.
  if (byActivity) {
    const toBeStarted = new Set(outbox.flatMap((p) => p.events.flatMap((e) => (e.type === 'HostStarted' ? [e.data.hostId] : []))));
    for (const host of state.hosts) if (host.status === 'running' && !toBeStarted.has(host.hostId)) lastHeard.set(host.hostId, hostWatchFrom);
  }

  setHandler(progressQuery, () => progressOf(state));
  setHandler(hostFinishedSignal, (outcome: HostOutcome) => {
    heardFrom(outcome.hostId);
    apply({ type: 'HostFinished', report: outcome });
  });
  const pause = operatorUpdate((a) => ({ type: 'Pause', by: a.by, reason: a.reason }));
  setHandler(pauseUpdate, pause.handler, { validator: pause.validator });
  const resume = operatorUpdate((a) => ({ type: 'Resume', by: a.by }));
  setHandler(resumeUpdate, resume.handler, { validator: resume.validator });
  const approve = operatorUpdate((a) => ({ type: 'Approve', by: a.by }));
  setHandler(approveUpdate, approve.handler, { validator: approve.validator });
  const cancel = operatorUpdate((a) => ({ type: 'Cancel', by: a.by, reason: a.reason }));
  setHandler(cancelUpdate, cancel.handler, { validator: cancel.validator });
  const retry = operatorUpdate<OperatorAction & { hostIds?: readonly string[] }>((a) => ({ type: 'Retry', by: a.by, hostIds: a.hostIds }));
  setHandler(retryHostsUpdate, retry.handler, { validator: retry.validator });
  // Approvals: hosts report where they wait; operators approve them (recorded, then each host is told).
  setHandler(hostAwaitingApprovalSignal, (w) => {
    heardFrom(w.hostId);
    apply({ type: 'HostAwaitingApproval', hostId: w.hostId, attempt: w.attempt, point: w.point });
  });
  const approveHosts = operatorUpdate<OperatorAction & { hostIds?: readonly string[]; point?: ApprovalPoint }>((a) => ({ type: 'ApproveHosts', by: a.by, hostIds: a.hostIds, point: a.point }));
  setHandler(approveHostsUpdate, approveHosts.handler, { validator: approveHosts.validator });
  // Commit barrier: hosts report that they verified and wait; the decider releases each barrier, then each host is told.
  setHandler(hostAwaitingCommitSignal, (w) => {
    heardFrom(w.hostId);
    apply({ type: 'HostAwaitingCommit', hostId: w.hostId, attempt: w.attempt });
    // The barrier's time runs from this decision, not from its append (PostgreSQL may be away).
    const barrier = state.hosts.find((h) => h.hostId === w.hostId)?.awaitingCommit;
    if (barrier) startBarrierTimer(barrier);
  });
  /** Barrier rounds whose timer runs in this run (`<barrier>#<round>`). */
  const barrierTimers = new Set<string>();
  /** When each barrier round times out (epoch ms), from the first host that reached it. */
  const barrierDeadlines = new Map<string, number>(Object.entries(input.barrierDeadlines ?? {}));

  // A run that starts inside a timed pause, or after a cancel with hosts still settling, restarts its timer.
  restartTimers();
  // Windows and gates exist only in campaigns launched with them: older histories replay unchanged.
  void watchWindows();
  // Hosts report their end by signal or in the log; this finds those whose workflow ended without.
  if (byActivity) void watchHostEnds();
  if (endsFromLog) void takeHostEndsFromLog();

  for (;;) {
    await condition(() => outbox.length > 0 || isEnded(state));
    if (outbox.length === 0) break;
    // Runs before this patch appended one decision at a time and started hosts one after
    // the other; with hundreds in flight the campaign fell behind its hosts' reports.
    const together = patched(BATCH_PATCH);
    const batch = outbox.splice(0, together ? appendBatchSize(outbox) : 1);
    const events = batch.flatMap((pending) => pending.events);
    await appendCampaignEvents({ campaignId: input.campaignId, events, expectedVersion: batch[0]!.version, operator: batch[0]!.operator ?? input.operator });
    await effectsOf(events, together);
    if (!isEnded(state) && historyIsLong()) {
      // Runs before this patch continued as new only with an empty outbox: with hosts
      // reporting all the time it never was, and Temporal terminated the campaign at its
      // history limit. Now the decided events not yet appended go to the next run.
      if (outbox.length > 0 && !patched(CARRY_OUTBOX_PATCH)) continue;
      await condition(allHandlersFinished);
      // A start that fails must be decided (HostStartFailed) by the run that started it.
      if (startQueue.length > 0 || startsUnderWay.size > 0) await allStarted();
      if (outbox.length === 0 || patched(CARRY_OUTBOX_PATCH)) {
        // The state carries the plan, so the input's waves and clusters go empty, and it goes
        // compact (each host id once): plain, 10,000 hosts passed Temporal's 2 MiB payload
        // limit and the server ended the campaign.
        const compact = compactState(state);
        await continueAsNew<typeof campaignWorkflow>({
          ...input,
          waves: [],
          clusters: {},
          ...(compact ? { carried: undefined, carriedCompact: compact } : { carried: state, carriedCompact: undefined }),
          retry: undefined,
          endedMeanwhile: undefined,
          pending: [...outbox],
          ...carriedDeadlines(),
          ...(byActivity ? { hostWatchFrom } : {}),
          ...(endsFromLog ? { hostEndsAfter } : {}),
        });
      }
    }
  }
  await condition(allHandlersFinished);
  return state;

  /** What the appended events call for, in the world: hosts started, hosts cancelled, timers. */
  async function effectsOf(events: readonly CurrentCampaignEvent[], hostsTogether = false): Promise<void> {
    /** BY_ACTIVITY_PATCH: consecutive starts, started by activities together (always empty before the patch). */
    const toStart: HostStartedData[] = [];
    for (const event of events) {
      if (event.type === 'HostStarted') {
        if (byActivity) {
          toStart.push(event.data);
          continue;
        }
        if (!hostsTogether) {
          await startHost(event.data.hostId, event.data.attempt, event.data.wave, event.data.operator);
          continue;
        }
        queueStart(() => startHost(event.data.hostId, event.data.attempt, event.data.wave, event.data.operator));
        continue;
      }
      // Starts decided before another effect are under way before it (a cancel waits for them).
      if (toStart.length > 0) queueStartActivities(toStart.splice(0));
      if (event.type === 'CampaignPaused' && event.data.kind === 'timed') startPauseTimer();
      if (event.type === 'CampaignCancelled') await cancelRunningHosts();
      if (event.type === 'GatesStarted') startGates();
      if (event.type === 'HostApproved') {
        const { point, by } = event.data;
        await getExternalWorkflowHandle(hostWorkflowId(event.data.hostId)).signal(approveHostSignal, { point, by }).catch(() => undefined);
      }
      // A barrier's timer starts when a host's arrival is decided (the signal's handler).
      if (event.type === 'BarrierReleased') {
        const { barrier, decision, reason, late } = event.data;
        // Hosts are told together, a chunk at a time (one workflow task per host was ~5 history events each).
        for (let i = 0; i < event.data.hostIds.length; i += MAX_STARTS_UNDER_WAY) {
          const chunk = event.data.hostIds.slice(i, i + MAX_STARTS_UNDER_WAY);
          await Promise.all(
            chunk.map((hostId) => {
              const release = { barrier, decision, reason, cause: late.includes(hostId) ? ('failed' as const) : ('cancelled' as const) };
              return getExternalWorkflowHandle(hostWorkflowId(hostId)).signal(releaseCommitBarrierSignal, release).catch(() => undefined);
            }),
          );
        }
      }
    }
    if (toStart.length > 0) queueStartActivities(toStart.splice(0));
  }

  /**
   * Starts go out together, at most MAX_STARTS_UNDER_WAY at once (the rest wait their
   * turn here), and the campaign takes in reports meanwhile; a start that fails is decided
   * as such when it does (startHost), and what must follow a start waits for it (cancel,
   * continue-as-new: `allStarted`). One at a time, a wave of 1,000 took minutes with no
   * report taken in; all at once, the full server contended on this workflow (each start
   * is recorded in its history) and retried: 2.6 starts a second.
   */
  function queueStart(start: () => Promise<void>): void {
    if (startQueue.length === 0 && startsUnderWay.size < startsAtOnce) trackStart(start());
    else startQueue.push(start);
  }

  function trackStart(started: Promise<void>): void {
    startsUnderWay.add(started);
    void started.then(() => {
      startsUnderWay.delete(started);
      while (startQueue.length > 0 && startsUnderWay.size < startsAtOnce) trackStart(startQueue.shift()!());
    });
  }

  /** Every host start decided so far has been confirmed (or failed) by the server. */
  async function allStarted(): Promise<void> {
    await condition(() => startQueue.length === 0 && startsUnderWay.size === 0);
  }

  /** The upgrade workflow's argument for one host: the same whether it is started as a child or by an activity. */
  function hostInputOf(hostId: string, attempt: number, wave: number, operator: string | null): HostUpgradeInput {
    return {
      hostId,
      campaignId: input.campaignId,
      wave,
      target: input.target,
      timeouts: input.timeouts,
      ...(input.maintenance ? { maintenance: input.maintenance } : {}),
      checks: input.checks,
      waiveRollbackImage: input.waiveRollbackImage.includes(hostId),
      attempt,
      parentWorkflowId: workflowInfo().workflowId,
      ...(endsFromLog ? { reportEndBy: 'event-log' as const } : {}),
      operator: operator ?? state.plan.launchedBy ?? input.operator,
      // Only campaigns launched with approvals pass them: older histories replay unchanged.
      ...(state.plan.approvals ? { approvals: approvalPointsFor(state.plan, wave) } : {}),
      // Only campaigns launched with a commit barrier pass one: older histories replay unchanged.
      ...commitBarrierFor(wave),
    };
  }

  function startFailedReason(hostId: string, why: string): string {
    return `could not start its upgrade workflow ${hostWorkflowId(hostId)}: ${why} (another operation on this host is running; wait for it or cancel it with \`bankswitch host cancel ${hostId}\`)`;
  }

  /** Runs before BY_ACTIVITY_PATCH: one host as a child, its result followed in case it ends without reporting. */
  async function startHost(hostId: string, attempt: number, wave: number, operator: string | null): Promise<void> {
    const workflowId = hostWorkflowId(hostId);
    try {
      const child = await startChild(hostUpgradeWorkflow, {
        workflowId,
        // The child reports back by signal and must survive this run's continue-as-new.
        parentClosePolicy: ParentClosePolicy.ABANDON,
        args: [hostInputOf(hostId, attempt, wave, operator)],
      });
      // A child that ends without reporting (terminated, failed, timed out) would leave its host running for ever here.
      child.result().then(
        (outcome) => apply({ type: 'HostFinished', report: outcome }),
        (error: unknown) =>
          apply({
            type: 'HostFinished',
            report: {
              hostId,
              attempt,
              endState: 'needs-attention',
              cause: 'failed',
              reason: `its upgrade workflow ${workflowId} ended without a result (${failureText(error)}); the host's banks are as last recorded in its history`,
              settle: `observe the host (\`bankswitch host observe ${hostId}\`), then settle it with \`bankswitch host rollback|abandon|commit ${hostId}\``,
            },
          }),
      );
    } catch (error) {
      void apply({ type: 'HostStartFailed', hostId, reason: startFailedReason(hostId, failureText(error)) });
    }
  }

  /** BY_ACTIVITY_PATCH: starts go out in chunks, one activity each, a few activities at once (queueStart). */
  function queueStartActivities(hosts: readonly HostStartedData[]): void {
    for (const chunk of chunked(hosts, HOSTS_PER_START_ACTIVITY)) queueStart(() => startHostsByActivity(chunk));
  }

  /**
   * One activity starts a chunk of hosts through the client (the same workflow ids and
   * arguments as children had); each host's end then comes by its report signal, or the
   * watch finds it (watchHostEnds). A host whose workflow id another operation holds is
   * decided as a start that failed, as a child's was.
   */
  async function startHostsByActivity(hosts: readonly HostStartedData[]): Promise<void> {
    const results = await startHostWorkflows({
      campaignId: input.campaignId,
      taskQueue: workflowInfo().taskQueue,
      workflowType: hostUpgradeWorkflow.name,
      hosts: hosts.map((h) => ({ hostId: h.hostId, workflowId: hostWorkflowId(h.hostId), attempt: h.attempt, args: hostInputOf(h.hostId, h.attempt, h.wave, h.operator) })),
    }).catch((error: unknown) => hosts.map((h) => ({ hostId: h.hostId, started: false as const, error: failureText(error) })));
    for (const result of results) {
      if (result.started) heardFrom(result.hostId);
      else void apply({ type: 'HostStartFailed', hostId: result.hostId, reason: startFailedReason(result.hostId, result.error) });
    }
  }

  /**
   * BY_ACTIVITY_PATCH: a host whose workflow ends without reporting (terminated, timed out,
   * or reporting failed) would stay running here for ever. One timer at a time, and none
   * while no host runs: every `hostWatchMs` the hosts not heard of for that long are looked
   * up, and each whose workflow ended is decided as it ended (needs attention without a
   * result). The timer is dropped when the campaign ends; a continue-as-new carries when
   * its interval began, so that continuing does not put it off.
   */
  async function watchHostEnds(): Promise<void> {
    const everyMs = input.hostWatchMs ?? DEFAULT_HOST_WATCH_MS;
    for (;;) {
      if (state.running === 0 && !isEnded(state)) {
        await condition(() => state.running > 0 || isEnded(state));
        hostWatchFrom = Date.now();
      }
      if (isEnded(state)) return;
      await sleep(Math.max(1, hostWatchFrom + everyMs - Date.now()));
      if (isEnded(state)) return;
      for (const chunk of chunked(silentHosts(state, lastHeard, Date.now(), everyMs), HOSTS_PER_WATCH_ACTIVITY)) {
        const hosts = chunk.map((h) => ({ ...h, workflowId: hostWorkflowId(h.hostId) }));
        const ended = await findEndedHostWorkflows({ campaignId: input.campaignId, workflowType: hostUpgradeWorkflow.name, hosts }).catch(() => []);
        for (const report of ended) void apply({ type: 'HostFinished', report });
      }
      hostWatchFrom = Date.now();
    }
  }

  /**
   * ENDS_FROM_LOG_PATCH: while hosts run, one activity at a time waits for their ends in
   * the log and answers with every end it found at its first read that found any: one
   * update of this history for many hosts when many end together. An end read twice (a
   * signal, the watch, or a re-read after a continue-as-new dropped an answer) is ignored
   * by the decider.
   */
  async function takeHostEndsFromLog(): Promise<void> {
    for (;;) {
      await condition(() => state.running > 0 || isEnded(state));
      if (isEnded(state)) return;
      const answer = await awaitHostEnds({ campaignId: input.campaignId, after: hostEndsAfter, waitMs: HOST_ENDS_WAIT_MS }).catch(
        () => undefined,
      );
      // Retried without limit, it fails only on what it cannot read; the watch covers the hosts meanwhile.
      if (!answer) {
        await sleep(HOST_ENDS_WAIT_MS);
        continue;
      }
      hostEndsAfter = answer.after;
      for (const report of answer.ends) {
        heardFrom(report.hostId);
        apply({ type: 'HostFinished', report });
      }
    }
  }

  async function cancelRunningHosts(): Promise<void> {
    // A host whose workflow is still being started would miss the cancel.
    if (startQueue.length > 0 || startsUnderWay.size > 0) await allStarted();
    // Each host settles itself (its workflow's compensation) and still reports its end.
    for (const host of state.hosts) {
      if (host.status === 'running') await getExternalWorkflowHandle(hostWorkflowId(host.hostId)).cancel().catch(() => undefined);
    }
    startReportDeadline();
  }

  function commitBarrierFor(wave: number): { commitBarrier?: { barrier: string; timeoutMs: number } } {
    const policy = state.plan.commitBarrier;
    const barrier = barrierIdOf(state.plan, wave);
    return policy && barrier ? { commitBarrier: { barrier, timeoutMs: policy.timeoutMs } } : {};
  }

  /**
   * A barrier's time runs from the first host reaching it (in its round): one timer, whose
   * end the decider rules on (whoever waits then rolls back). A run that continues as new
   * starts the timers of barriers with hosts waiting again, for the whole time.
   */
  function startBarrierTimer(barrier: string): void {
    const policy = state.plan.commitBarrier;
    const round = state.barriers?.[barrier]?.round ?? 0;
    const key = `${barrier}#${round}`;
    if (!policy || state.barriers?.[barrier]?.decision !== undefined || barrierTimers.has(key)) return;
    barrierTimers.add(key);
    // The deadline outlives a continue-as-new (carried in the input): a new run waits only
    // for what is left, so that the campaign decides before a waiting host's own backstop.
    const deadline = barrierDeadlines.get(key) ?? Date.now() + policy.timeoutMs;
    barrierDeadlines.set(key, deadline);
    void sleep(Math.max(1, deadline - Date.now())).then(() => void apply({ type: 'BarrierTimedOut', barrier, round }));
  }

  /** Barrier deadlines for the next run (only campaigns with a barrier have any: older inputs stay as they were). */
  function carriedDeadlines(): { barrierDeadlines?: Record<string, number> } {
    return barrierDeadlines.size > 0 ? { barrierDeadlines: Object.fromEntries(barrierDeadlines) } : {};
  }

  function startPauseTimer(): void {
    const pause = state.pause;
    if (pause?.kind !== 'timed' || pause.ms === undefined || pause.afterWave === undefined) return;
    const wave = pause.afterWave;
    void sleep(pause.ms).then(() => void apply({ type: 'TimerFired', timer: 'pause-between-waves', wave }));
  }

  /**
   * After a cancel, hosts settle and report; one that has not reported within a bound
   * (its own settling takes at most about two reboots) is called what it is: a host that
   * needs attention. `campaign cancel` always ends.
   */
  function startReportDeadline(): void {
    const boundMs = 2 * input.timeouts.rebootMs + 120_000;
    void sleep(boundMs).then(() => {
      for (const host of state.hosts) {
        if (host.status !== 'running') continue;
        void apply({
          type: 'HostFinished',
          report: {
            hostId: host.hostId,
            attempt: host.attempts,
            endState: 'needs-attention',
            cause: 'cancelled',
            reason: `its upgrade did not report within ${Math.round(boundMs / 1000)} s of the cancel; it may still be settling the host`,
            settle: `see \`bankswitch host history ${host.hostId}\`; settle it with \`bankswitch host observe|rollback|abandon ${host.hostId}\``,
          },
        });
      }
    });
  }

  /**
   * Tells the decider whether a maintenance window is open now, and again when that
   * changes: one Temporal timer per opening or closing, no polling.
   */
  async function watchWindows(): Promise<void> {
    const windows = state.plan.windows ?? [];
    if (windows.length === 0) return;
    while (!isEnded(state)) {
      const window = await maintenanceWindowAt({ windows, at: Date.now() });
      void apply({ type: 'WindowChecked', window });
      const change = window.open ? window.closesAt : window.opensAt;
      if (change === null) return;
      await sleep(Math.max(1, Date.parse(change) - Date.now()));
    }
  }

  /** Samples each gate not yet passed over its `for` window (timers between samples, an activity per sample) and reports the values. */
  function startGates(): void {
    const gating = state.gating;
    if (!gating) return;
    for (const gate of state.plan.gates ?? []) if (!gating.passed.includes(gate.name)) void sampleGate(gating.afterWave, gate);
  }

  async function sampleGate(afterWave: number, gate: CampaignGate): Promise<void> {
    const waited = () => state.gating?.afterWave === afterWave;
    const intervalMs = gateSampleIntervalMs(gate.forMs);
    const samples = Math.floor(gate.forMs / intervalMs) + 1;
    const values: (number | null)[] = [];
    let detail = '';
    for (let i = 0; i < samples; i++) {
      if (i > 0) await sleep(intervalMs);
      if (!waited()) return;
      const sample = await queryGate({ url: gate.prometheus.url, query: gate.prometheus.query });
      values.push(sample.value);
      if (sample.detail) detail = sample.detail;
      // The first sample that does not hold decides: no need to wait out the window.
      if (!gateHolds(gate.expect, sample.value)) break;
    }
    if (waited()) void apply({ type: 'GateChecked', afterWave, gate: gate.name, values, ...(detail ? { detail } : {}) });
  }

  function restartTimers(): void {
    // What the last run left running starts again, unless an event still in the outbox
    // calls for it (this run's launch, or a continue-as-new's pending events): its append starts it.
    const willStart = (type: CurrentCampaignEvent['type']) => outbox.some((p) => p.events.some((e) => e.type === type));
    if (state.gating && !willStart('GatesStarted')) startGates();
    if (state.status === 'paused' && state.pause?.kind === 'timed' && !willStart('CampaignPaused')) startPauseTimer();
    if (state.status === 'cancelled' && state.running > 0 && !willStart('CampaignCancelled')) startReportDeadline();
    for (const host of state.hosts) if (host.status === 'running' && host.awaitingCommit) startBarrierTimer(host.awaitingCommit);
  }

  function historyIsLong(): boolean {
    const info = workflowInfo();
    return info.historyLength > (input.continueAsNewAfterEvents ?? HISTORY_EVENTS_BEFORE_CONTINUE_AS_NEW) || info.continueAsNewSuggested;
  }
}

function planOf(input: CampaignInput): Extract<CampaignCommand, { type: 'Launch' }>['plan'] {
  return {
    name: input.name,
    targetBuild: input.target.build,
    waves: input.waves,
    clusters: input.clusters,
    maxInFlight: input.maxInFlight,
    maxPerCluster: input.maxPerCluster ?? null,
    failureBudget: input.failureBudget,
    pauseBetweenWaves: input.pauseBetweenWaves,
    launchedBy: input.operator ?? null,
    // Inputs without it (runs started before ramp-up existed) launch fixed waves, as they did.
    rampUp: input.rampUp ?? null,
    ...(input.windows && input.windows.length > 0 ? { windows: input.windows } : {}),
    ...(input.gates && input.gates.length > 0 ? { gates: input.gates } : {}),
    ...(input.approvals ? { approvals: input.approvals } : {}),
    ...(input.commitBarrier ? { commitBarrier: input.commitBarrier } : {}),
  };
}
