import { describe, expect, it } from 'vitest';
import { decide, evolveAll, initialState, type CampaignCommand, type CampaignPlan, type CampaignState } from '@bankswitch/campaign';
import { compactState, expandState } from './carried-state';

/** A campaign of `n` hosts in three clusters, some finished in various ways, as the decider folds it. */
function campaignOf(n: number): CampaignState {
  const ids = Array.from({ length: n }, (_, i) => `esx-${String(i).padStart(5, '0')}`);
  const plan: CampaignPlan = {
    name: 'big',
    targetBuild: '8.0.3',
    waves: [
      { kind: 'canary', hostIds: ids.slice(0, 1) },
      { kind: 'wave', hostIds: ids.slice(1) },
    ],
    clusters: Object.fromEntries(ids.map((id, i) => [id, `cluster-${i % 3}`])),
    maxInFlight: n,
    maxPerCluster: null,
    failureBudget: n,
    pauseBetweenWaves: { kind: 'none' },
    launchedBy: 'alice',
  };
  let state = initialState('big-1');
  const run = (command: CampaignCommand) => {
    const decision = decide(command, state);
    if (!decision.ok) throw new Error(decision.refusal.message);
    state = evolveAll(state, decision.events);
  };
  run({ type: 'Launch', plan });
  run({ type: 'HostFinished', report: { hostId: ids[0]!, attempt: 1, endState: 'upgraded', cause: 'succeeded', reason: '' } });
  for (const [i, id] of ids.slice(1, Math.floor(n * 0.75)).entries()) {
    const failed = i % 7 === 3;
    run({ type: 'HostFinished', report: { hostId: id, attempt: 1, endState: failed ? 'rolled-back' : 'upgraded', cause: failed ? 'failed' : 'succeeded', reason: failed ? `verify: ${id} failed its health check` : '' } });
  }
  return state;
}

describe('compactState / expandState', () => {
  it('gives the state back as it was', () => {
    const state = campaignOf(40);
    const compact = compactState(state);
    expect(compact).toBeDefined();
    // Through JSON, as Temporal carries it.
    expect(expandState(JSON.parse(JSON.stringify(compact)))).toEqual(JSON.parse(JSON.stringify(state)));
  });

  it('takes little more than half the room of the plain state (10,000 hosts: ~0.8 MiB against ~1.6 MiB and a pending outbox)', () => {
    // 1,000 hosts: the room a host takes does not depend on how many there are (83 bytes
    // at 1,000 and at 4,000), and folding the state through the decider costs O(hosts) a
    // command. At 4,000 hosts that fold alone took 4-5 s and met vitest's 5 s limit in CI.
    const hosts = 1_000;
    const state = campaignOf(hosts);
    const plain = JSON.stringify(state).length;
    const compact = JSON.stringify(compactState(state)).length;
    expect(compact).toBeLessThan(plain * 0.6);
    // About 85 bytes a host: 10,000 hosts stay far under Temporal's 2 MiB payload limit.
    expect(compact / hosts).toBeLessThan(100);
  });

  it('says it cannot when the plan and the hosts disagree, so that the state is carried as it is', () => {
    const state = campaignOf(5);
    expect(compactState({ ...state, plan: { ...state.plan, clusters: { ...state.plan.clusters, 'esx-00001': 'elsewhere' } } })).toBeUndefined();
  });
});
