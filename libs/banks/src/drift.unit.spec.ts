// Drift as a host's state carries it: what was last found changed out of band, until
// Bankswitch acts on the host again (an upgrade, or an operator's action).
import { describe, expect, it } from 'vitest';
import type { HostEvent } from './events';
import { evolveAll } from './evolve';
import { initialState } from './host-banks';

const bank = (build: string, updated: number) => ({ build, updated, bootstate: 'VALID' as const });
const observed = (booted: 0 | 1): HostEvent => ({ type: 'BankStateObserved', data: { bootedBank: booted, banks: [bank('8.0.2', 2), bank('8.0.1', 1)] } });
const drift: HostEvent = { type: 'DriftDetected', data: { differences: [{ subject: 'booted bank', expected: '0', observed: '1' }] } };

describe('drift in the host state', () => {
  it('is what the last DriftDetected found, and nothing at first sight', () => {
    expect(evolveAll(initialState(), [observed(0)]).drift ?? null).toBeNull();
    expect(evolveAll(initialState(), [observed(0), drift, observed(1)]).drift).toEqual([{ subject: 'booted bank', expected: '0', observed: '1' }]);
  });

  it('records another SSH host key as drift of the host key', () => {
    const state = evolveAll(initialState(), [observed(0), { type: 'HostKeyMismatch', data: { address: 'ssh://10.0.0.5', pinned: 'SHA256:a', presented: 'SHA256:b' } }]);
    expect(state.drift).toEqual([{ subject: 'ssh host key', expected: 'SHA256:a', observed: 'SHA256:b' }]);
  });

  it("is cleared when Bankswitch acts on the host again: an upgrade starts, or an operator's action (observe included)", () => {
    const drifted = [observed(0), drift, observed(1)];
    const started: HostEvent = { type: 'UpgradeStarted', data: { campaignId: 'c1', attempt: 1, fromBuild: '8.0.1', toBuild: '8.0.3', resumeFrom: 'stage', skipped: [] } };
    const acted: HostEvent = { type: 'HostActionTaken', data: { action: 'observe', reason: 'seen at the console', endState: 'untouched', detail: '', settle: null } };
    expect(evolveAll(initialState(), [...drifted, started]).drift).toBeNull();
    expect(evolveAll(initialState(), [...drifted, acted]).drift).toBeNull();
  });
});
