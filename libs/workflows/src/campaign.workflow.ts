// A rolling campaign: waves (canary first) of host-upgrade child workflows in a
// sliding window, with a failure budget, pauses, cancel and retry. Children report back
// by signal (so they can outlive a continue-as-new of this workflow), and the state is
// carried across continue-as-new to stay far inside Temporal's history limits.
import {
  ApplicationFailure,
  ParentClosePolicy,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  proxyActivities,
  setHandler,
  sleep,
  startChild,
  workflowInfo,
  allHandlersFinished,
} from '@temporalio/workflow';
import type { CampaignActivities, CampaignFact, HostOutcome } from '@bankswitch/activities';
import type { CampaignInput } from './campaign-input';
import {
  applyOutcome,
  failedCount,
  haltReason,
  hostsToStart,
  inFlight,
  initialCampaignState,
  progressOf,
  requeue,
  waveComplete,
  type CampaignState,
  type HostProgress,
} from './campaign-state';
import { cancelUpdate, hostFinishedSignal, hostUpgradeWorkflowId, pauseUpdate, progressQuery, resumeUpdate, retryHostsUpdate } from './definitions';
import { failureText } from './failure-text';
import { hostUpgradeWorkflow } from './host-upgrade.workflow';

const { recordCampaignFact } = proxyActivities<CampaignActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '30s' },
});

/** Continue-as-new well before Temporal's limits (51,200 events / 50 MB) would be near. */
const HISTORY_EVENTS_BEFORE_CONTINUE_AS_NEW = 8_000;

export async function campaignWorkflow(input: CampaignInput): Promise<CampaignState> {
  const state: CampaignState = input.carried ?? initialCampaignState(input.waves, input.clusters);
  const reports: HostOutcome[] = [];
  let cancelRequest: { by?: string; reason: string } | undefined;
  const progress = () => progressOf(state, input);

  setHandler(progressQuery, progress);
  setHandler(hostFinishedSignal, (outcome) => void reports.push(outcome));
  setHandler(
    pauseUpdate,
    async (action) => {
      state.status = 'paused';
      state.pausedBy = action.by;
      await record({ type: 'CampaignPaused', data: { reason: action.reason ?? 'paused by an operator' } }, `paused-${state.factSeq++}`, action.by);
      return progress();
    },
    { validator: (_action) => requireStatus(state, ['running'], 'pause') },
  );
  setHandler(
    resumeUpdate,
    async (action) => {
      state.status = 'running';
      state.pausedBy = undefined;
      await record({ type: 'CampaignResumed', data: {} }, `resumed-${state.factSeq++}`, action.by);
      return progress();
    },
    { validator: (_action) => requireStatus(state, ['paused', 'awaiting-approval'], 'resume') },
  );
  setHandler(
    cancelUpdate,
    (action) => {
      cancelRequest = { by: action.by, reason: action.reason ?? 'cancelled by an operator' };
      return progress();
    },
    { validator: (_action) => requireStatus(state, ['running', 'paused', 'awaiting-approval', 'halted'], 'cancel') },
  );
  setHandler(
    retryHostsUpdate,
    async (action) => {
      const requeued = requeue(state, action.hostIds, action.by);
      await record({ type: 'HostsRequeued', data: { hostIds: requeued } }, `requeued-${state.factSeq++}`, action.by);
      return progress();
    },
    { validator: (action) => validateRetry(state, action.hostIds) },
  );

  // Idempotency keys of lifecycle facts: the same on every replay, unique per fact
  // (state.factSeq is carried across continue-as-new and retry runs).
  const record = (fact: CampaignFact, key: string, operator = input.operator) =>
    recordCampaignFact({ campaignId: input.campaignId, fact, key: `${input.campaignId}/r${state.retryRound}/${key}`, operator });

  if (!input.carried) {
    await record(
      { type: 'CampaignLaunched', data: { name: input.name, targetBuild: input.target.build, waves: input.waves.map((w) => ({ hosts: w.hostIds })), failureBudget: input.failureBudget } },
      'launched',
    );
  }
  if (input.retryHostIds) {
    state.retryRound += 1;
    state.status = 'running';
    state.haltReason = undefined;
    const requeued = requeue(state, input.retryHostIds.length ? input.retryHostIds : undefined, input.operator);
    const firstWave = Math.min(...state.hosts.filter((h) => requeued.includes(h.hostId)).map((h) => h.wave));
    if (Number.isFinite(firstWave)) state.wave = Math.min(state.wave, firstWave);
    await record({ type: 'HostsRequeued', data: { hostIds: requeued } }, 'retry');
  }

  while (state.wave < input.waves.length) {
    const wave = state.wave;
    if (state.wavesStarted <= wave) {
      await record({ type: 'WaveStarted', data: { wave, hosts: input.waves[wave]!.hostIds } }, `wave-${wave}-started`);
      state.wavesStarted = wave + 1;
    }
    const ended = await runWave(wave);
    if (ended) return ended;
    if (state.wavesFinished <= wave) {
      const hosts = state.hosts.filter((h) => h.wave === wave);
      await record({ type: 'WaveFinished', data: { wave, succeeded: hosts.filter((h) => h.status === 'upgraded' || h.status === 'already-on-target').length, failed: hosts.filter((h) => failedOrCancelled(h)).length } }, `wave-${wave}-finished`);
      state.wavesFinished = wave + 1;
    }
    // A retry run passes waves that are already done without pausing before them.
    if (wave + 1 < input.waves.length && !waveComplete(state, wave + 1)) {
      const stopped = await pauseBetweenWaves(wave);
      if (stopped) return stopped;
    }
    state.wave = wave + 1;
  }
  state.status = 'completed';
  const upgraded = state.hosts.filter((h) => h.status === 'upgraded').length;
  const skipped = state.hosts.filter((h) => h.status === 'already-on-target').length;
  await record({ type: 'CampaignCompleted', data: { succeeded: upgraded, failed: failedCount(state), skipped } }, 'completed');
  return state;

  /** Runs one wave to its end; returns the final state when the campaign stops inside it. */
  async function runWave(wave: number): Promise<CampaignState | undefined> {
    for (;;) {
      drainReports();
      if (cancelRequest) return cancel();
      if (state.status === 'running' || state.status === 'paused') {
        const why = haltReason(state, input.failureBudget, wave === 0 && input.waves[0]?.kind === 'canary');
        if (why) {
          state.status = 'halted';
          state.haltReason = why;
        }
      }
      if (state.status === 'halted' && inFlight(state).length === 0) {
        await record({ type: 'CampaignHalted', data: { reason: state.haltReason ?? 'halted' } }, `halted-${wave}-${failedCount(state)}`);
        return state;
      }
      if (state.status === 'running') {
        for (const host of hostsToStart(state, input)) await startHost(host);
      }
      if (waveComplete(state, wave)) return undefined;
      const limit = input.continueAsNewAfterEvents ?? HISTORY_EVENTS_BEFORE_CONTINUE_AS_NEW;
      if (workflowInfo().historyLength > limit || workflowInfo().continueAsNewSuggested) {
        await condition(allHandlersFinished);
        drainReports();
        await continueAsNew<typeof campaignWorkflow>({ ...input, carried: state, retryHostIds: undefined });
      }
      await condition(() => reports.length > 0 || cancelRequest !== undefined || (state.status === 'running' && hostsToStart(state, input).length > 0));
    }
  }

  function drainReports(): void {
    for (const outcome of reports.splice(0)) applyOutcome(state, outcome);
  }

  async function startHost(host: HostProgress): Promise<void> {
    host.status = 'running';
    host.attempts += 1;
    try {
      await startChild(hostUpgradeWorkflow, {
        workflowId: hostUpgradeWorkflowId(host.hostId),
        // The child reports back by signal and must survive this run's continue-as-new.
        parentClosePolicy: ParentClosePolicy.ABANDON,
        args: [
          {
            hostId: host.hostId,
            campaignId: input.campaignId,
            wave: host.wave,
            target: input.target,
            timeouts: input.timeouts,
            checks: input.checks,
            waiveRollbackImage: input.waiveRollbackImage.includes(host.hostId),
            attempt: host.attempts,
            parentWorkflowId: workflowInfo().workflowId,
            operator: host.operator ?? input.operator,
          },
        ],
      });
    } catch (error) {
      host.status = 'failed';
      host.reason = `could not start its upgrade workflow ${hostUpgradeWorkflowId(host.hostId)}: ${failureText(error)} (another upgrade of this host may be running; wait for it or cancel it)`;
    }
  }

  async function pauseBetweenWaves(wave: number): Promise<CampaignState | undefined> {
    const pause = input.pauseBetweenWaves;
    if (pause.kind === 'manual') {
      state.status = 'awaiting-approval';
      await record({ type: 'CampaignPaused', data: { reason: `waiting for approval before wave ${wave + 1}` } }, `approval-${wave}`);
      await condition(() => state.status !== 'awaiting-approval' || cancelRequest !== undefined);
    } else if (pause.kind === 'timed') {
      await Promise.race([sleep(pause.ms), condition(() => cancelRequest !== undefined)]);
    }
    if (cancelRequest) return cancel();
    // An operator's pause during the gap holds the next wave too.
    await condition(() => state.status === 'running' || cancelRequest !== undefined);
    return cancelRequest ? cancel() : undefined;
  }

  async function cancel(): Promise<CampaignState> {
    const running = inFlight(state);
    // Each child runs its own compensation and still reports its outcome.
    for (const host of running) {
      await getExternalWorkflowHandle(hostUpgradeWorkflowId(host.hostId))
        .cancel()
        .catch(() => undefined);
    }
    await condition(() => {
      drainReports();
      return inFlight(state).length === 0;
    });
    for (const host of state.hosts) if (host.status === 'pending') host.status = 'cancelled';
    state.status = 'cancelled';
    const request = cancelRequest ?? { reason: 'cancelled' };
    await record({ type: 'CampaignCancelled', data: { reason: request.reason } }, 'cancelled', request.by);
    return state;
  }
}

function failedOrCancelled(h: HostProgress): boolean {
  return h.status === 'failed' || h.status === 'fell-back' || h.status === 'rolled-back' || h.status === 'cancelled';
}

function requireStatus(state: CampaignState, allowed: readonly CampaignState['status'][], action: string): void {
  if (!allowed.includes(state.status)) {
    throw ApplicationFailure.create({ type: 'InvalidInput', nonRetryable: true, message: `cannot ${action} a campaign that is ${state.status}` });
  }
}

function validateRetry(state: CampaignState, hostIds: readonly string[] | undefined): void {
  if (state.status === 'cancelled' || state.status === 'completed') {
    throw ApplicationFailure.create({ type: 'InvalidInput', nonRetryable: true, message: `the campaign is ${state.status}; start a retry run instead` });
  }
  for (const id of hostIds ?? []) {
    const host = state.hosts.find((h) => h.hostId === id);
    if (!host) throw ApplicationFailure.create({ type: 'InvalidInput', nonRetryable: true, message: `host ${id} is not part of this campaign` });
    if (!failedOrCancelled(host)) {
      throw ApplicationFailure.create({ type: 'InvalidInput', nonRetryable: true, message: `host ${id} is ${host.status}, not failed: only failed hosts can be retried` });
    }
  }
}
