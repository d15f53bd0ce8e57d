import type { HostEndCause, HostEndState } from '@bankswitch/banks';
import { barrierIdOf, barrierWords } from './barrier-groups';
import type { CampaignEvent, CampaignEventOf } from './events';
import type { CampaignState, HostProgress, HostStatus } from './state';
import { isFailed } from './state';

/**
 * Folds one event into the state: total and pure (the state given is never changed).
 * Host updates copy the host list once per event, cheap even for thousands of hosts.
 */
export function evolve(state: CampaignState, event: CampaignEvent): CampaignState {
  const next = apply(state, event);
  return { ...next, version: state.version + 1 };
}

export function evolveAll(state: CampaignState, events: readonly CampaignEvent[]): CampaignState {
  return events.reduce(evolve, state);
}

function apply(state: CampaignState, event: CampaignEvent): CampaignState {
  switch (event.type) {
    case 'CampaignLaunched': {
      const d = event.data;
      // With a ramp-up only the canary is a wave at launch; the other hosts wait unassigned (-1), in plan order.
      const ramp = d.rampUp ?? null;
      const waveOf = (wave: number) => (ramp && wave > 0 ? -1 : wave);
      const hosts: HostProgress[] = d.waves.flatMap((w, wave) => w.hosts.map((hostId) => ({ hostId, wave: waveOf(wave), cluster: d.clusters[hostId] ?? '', status: 'pending' as const, attempts: 0 })));
      const index: Record<string, number> = {};
      hosts.forEach((h, i) => (index[h.hostId] = i));
      return {
        ...state,
        status: 'running',
        plan: {
          name: d.name,
          targetBuild: d.targetBuild,
          waves: (ramp ? d.waves.slice(0, 1) : d.waves).map((w) => ({ kind: w.kind, hostIds: w.hosts })),
          clusters: d.clusters,
          maxInFlight: d.maxInFlight,
          maxPerCluster: d.maxPerCluster,
          failureBudget: d.failureBudget,
          pauseBetweenWaves: d.pauseBetweenWaves,
          launchedBy: d.launchedBy,
          rampUp: ramp,
          windows: d.windows ?? null,
          gates: d.gates ?? null,
          approvals: d.approvals ?? null,
          commitBarrier: d.commitBarrier ?? null,
        },
        hosts,
        index,
        // With windows no host starts before the workflow said one is open.
        ...(d.windows && d.windows.length > 0 ? { window: { open: false as const, opensAt: null, checked: false as const } } : {}),
      };
    }
    case 'WaveStarted': {
      const started = { ...state, wave: Math.max(state.wave, event.data.wave) };
      // A ramp-up's wave is made as it starts: its hosts leave the unassigned queue.
      if (!state.plan.rampUp || event.data.wave < state.plan.waves.length) return started;
      let next: CampaignState = { ...started, plan: { ...started.plan, waves: [...started.plan.waves, { kind: 'wave', hostIds: event.data.hosts }] } };
      for (const hostId of event.data.hosts) next = withHost(next, hostId, (h) => ({ ...h, wave: event.data.wave }));
      return next;
    }
    case 'WaveFinished':
      return { ...state, wavesFinished: Math.max(state.wavesFinished, event.data.wave + 1) };
    case 'HostStarted':
    case 'HostUpgradeStarted':
      return withHost(state, event.data.hostId, (h) => ({
        ...h,
        status: 'running',
        attempts: event.data.attempt,
        cause: undefined,
        reason: undefined,
        settle: undefined,
        awaitingApproval: undefined,
        awaitingCommit: undefined,
        operator: event.type === 'HostStarted' ? (event.data.operator ?? h.operator) : h.operator,
      }));
    case 'HostFinished': {
      const { endState, cause, reason, settle } = event.data;
      return finish(state, event.data.hostId, endState, cause, reason, settle ?? undefined);
    }
    case 'HostUpgradeSucceeded':
      return finish(state, event.data.hostId, 'upgraded', 'succeeded', '');
    case 'HostUpgradeSkipped':
      return finish(state, event.data.hostId, 'untouched', 'already-on-target', event.data.reason);
    case 'HostUpgradeFailed': {
      const { outcome, reason } = event.data;
      const [endState, cause]: [HostEndState, HostEndCause] =
        outcome === 'cancelled' ? ['rolled-back', 'cancelled'] : outcome === 'failed' ? ['needs-attention', 'failed'] : [outcome, 'failed'];
      return finish(state, event.data.hostId, endState, cause, reason);
    }
    case 'CampaignPaused': {
      const { kind, reason, ms } = event.data;
      return {
        ...state,
        status: kind === 'approval' ? 'awaiting-approval' : 'paused',
        pause: { kind, reason, ...(ms === null ? {} : { ms }), afterWave: state.wavesFinished - 1 },
      };
    }
    case 'CampaignResumed': {
      // Ending an approval wait or a timed pause opens the next wave; ending an operator's pause does not.
      const gap = state.pause && state.pause.kind !== 'operator' && state.pause.kind !== 'gate' && state.pause.afterWave !== undefined ? state.pause.afterWave + 1 : 0;
      // Resuming a pause a failed gate caused passes that gate.
      const gated = state.pause?.kind === 'gate' && state.pause.afterWave !== undefined ? state.pause.afterWave + 1 : 0;
      return { ...state, status: 'running', pause: undefined, gapsWaited: Math.max(state.gapsWaited, gap), gatesPassed: Math.max(state.gatesPassed, gated) };
    }
    case 'WindowOpened':
      return { ...state, window: { open: true, closesAt: event.data.closesAt } };
    case 'WindowClosed':
      return { ...state, window: { open: false, opensAt: event.data.opensAt } };
    case 'GatesStarted':
      return { ...state, gating: { afterWave: event.data.afterWave, passed: [] } };
    case 'GateEvaluated': {
      const { afterWave, gate, passed } = event.data;
      if (!state.gating || state.gating.afterWave !== afterWave) return state;
      if (!passed) return { ...state, gating: undefined };
      const done = [...state.gating.passed, gate];
      const all = (state.plan.gates ?? []).every((g) => done.includes(g.name));
      return all ? { ...state, gating: undefined, gatesPassed: Math.max(state.gatesPassed, afterWave + 1) } : { ...state, gating: { afterWave, passed: done } };
    }
    case 'HostsRequeued': {
      let next = state;
      for (const hostId of event.data.hostIds) {
        next = withHost(next, hostId, (h) => ({ ...h, status: 'pending', cause: undefined, reason: undefined, settle: undefined, operator: event.data.by ?? h.operator }));
      }
      next = reopenBarriers(next, event.data.hostIds);
      // A requeue of an ended or halted campaign sets it going again.
      const wakes = next.status === 'halted' || next.status === 'completed';
      return wakes ? { ...next, status: 'running', haltReason: undefined } : next;
    }
    case 'CampaignHalted':
      return { ...state, status: 'halted', haltReason: event.data.reason };
    case 'CampaignCancelled': {
      let next: CampaignState = { ...state, status: 'cancelled', cancelReason: event.data.reason, pause: undefined };
      for (const host of state.hosts) {
        if (host.status === 'pending') next = finish(next, host.hostId, 'untouched', 'cancelled', 'the campaign was cancelled before it reached this host');
      }
      return next;
    }
    case 'CampaignCompleted':
      return { ...state, status: 'completed' };
    case 'HostWaitingForApproval':
      return withHost(state, event.data.hostId, (h) => (h.status === 'running' && h.attempts === event.data.attempt ? { ...h, awaitingApproval: event.data.point } : h));
    case 'HostApproved':
      return withHost(state, event.data.hostId, (h) => (h.awaitingApproval === event.data.point ? { ...h, awaitingApproval: undefined } : h));
    case 'HostAwaitingCommit':
      return withHost(state, event.data.hostId, (h) => (h.status === 'running' && h.attempts === event.data.attempt ? { ...h, awaitingCommit: event.data.barrier } : h));
    case 'BarrierReleased':
      return barrierReleased(state, event);
    default:
      return state;
  }
}

function finish(state: CampaignState, hostId: string, endState: HostEndState, cause: HostEndCause, reason: string, settle?: string): CampaignState {
  return withHost(state, hostId, (h) => ({ ...h, status: endState, cause, reason: reason || undefined, settle, awaitingApproval: undefined, awaitingCommit: undefined }));
}

/**
 * A barrier decided: the hosts told no longer wait; after a rollback, hosts behind it that
 * had not started end untouched. A later release of the same round (a host arriving after
 * the decision) only tells that host.
 */
function barrierReleased(state: CampaignState, event: CampaignEventOf<'BarrierReleased'>): CampaignState {
  const { barrier, round, decision, reason, hostIds, late } = event.data;
  const known = state.barriers?.[barrier];
  const first = !(known?.decision && known.round === round);
  let next: CampaignState = first ? { ...state, barriers: { ...state.barriers, [barrier]: { round, decision, reason, late } } } : state;
  for (const hostId of hostIds) next = withHost(next, hostId, (h) => (h.awaitingCommit === barrier ? { ...h, awaitingCommit: undefined } : h));
  if (!first || decision !== 'rollback') return next;
  for (const host of state.hosts) {
    if (host.status === 'pending' && barrierIdOf(state.plan, host.wave) === barrier) {
      next = finish(next, host.hostId, 'untouched', 'cancelled', `not started: ${barrierWords(barrier)} rolled back (${reason})`);
    }
  }
  return next;
}

/** Requeued hosts behind a barrier that decided open its next round. */
function reopenBarriers(state: CampaignState, hostIds: readonly string[]): CampaignState {
  if (!state.plan.commitBarrier) return state;
  let barriers = state.barriers ?? {};
  for (const hostId of hostIds) {
    const i = state.index[hostId];
    const host = i === undefined ? undefined : state.hosts[i];
    const barrier = host ? barrierIdOf(state.plan, host.wave) : undefined;
    const known = barrier ? barriers[barrier] : undefined;
    if (barrier && known?.decision) barriers = { ...barriers, [barrier]: { round: known.round + 1 } };
  }
  return { ...state, barriers };
}

/** Replaces one host and keeps the counters in step. Unknown hosts change nothing. */
function withHost(state: CampaignState, hostId: string, change: (host: HostProgress) => HostProgress): CampaignState {
  const i = state.index[hostId];
  const before = i === undefined ? undefined : state.hosts[i];
  if (i === undefined || !before) return state;
  const after = change(before);
  const hosts = state.hosts.slice();
  hosts[i] = after;
  const delta = (status: HostStatus) => (status === 'running' ? 1 : 0);
  const runningDelta = delta(after.status) - delta(before.status);
  const runningByCluster =
    runningDelta === 0 ? state.runningByCluster : { ...state.runningByCluster, [after.cluster]: (state.runningByCluster[after.cluster] ?? 0) + runningDelta };
  const failedDelta = (isFailed(after) ? 1 : 0) - (isFailed(before) ? 1 : 0);
  return { ...state, hosts, running: state.running + runningDelta, runningByCluster, failed: state.failed + failedDelta };
}
