// Given a host's history, when an upgrade stops: what planUpgrade and settlementFor
// decide. These are the rules that leave every host decided, whatever failed.
import { describe, expect, it } from 'vitest';
import { BUILD_802, BUILD_803, cfg, sha } from '../test/boot-cfg-fixtures';
import { decide } from './decide';
import type { BankCommand } from './commands';
import type { HostEvent } from './events';
import { evolveAll } from './evolve';
import type { HostBanks } from './host-banks';
import { initialState } from './host-banks';
import { planUpgrade } from './plan-upgrade';
import { settlementFor } from './settlement';

const BUILD_801 = '8.0.1-0.0.21495797';
const target = { build: BUILD_803, sha256: sha('a') };
const facts = { stagedSha256: null, incompleteStage: false };

function history(...commands: BankCommand[]): HostEvent[] {
  const events: HostEvent[] = [];
  for (const command of commands) {
    const decision = decide(command, evolveAll(initialState(), events));
    if (!decision.ok) throw new Error(`${command.type} refused: ${decision.refusal.message}`);
    events.push(...decision.events);
  }
  return events;
}
const state = (...commands: BankCommand[]): HostBanks => evolveAll(initialState(), history(...commands));

/** 8.0.2 running committed from bank 0, 8.0.1 VALID in bank 1: a host that can roll back. */
const observed: BankCommand = {
  type: 'ObserveBanks',
  data: { bootedBank: 0, bank0: cfg({ build: BUILD_802, updated: 2 }), bank1: cfg({ build: BUILD_801, updated: 1 }) },
};
const stage: BankCommand = { type: 'StageImage', data: target };
const bootedNew: BankCommand = { type: 'RecordBoot', data: { bootedBank: 1, build: BUILD_803 } };
const fellBack: BankCommand = { type: 'RecordBoot', data: { bootedBank: 0, build: BUILD_802 } };

describe('planUpgrade', () => {
  it('stages a committed host, resumes a staged one at reboot and a booted one at verify', () => {
    expect(planUpgrade(state(observed), target, facts, { waiveUncommittedRunning: false })).toEqual({ kind: 'ready', resumeFrom: 'stage', skipped: [] });
    const staged = planUpgrade(state(observed, stage), target, { stagedSha256: target.sha256, incompleteStage: false }, { waiveUncommittedRunning: false });
    expect(staged).toMatchObject({ kind: 'ready', resumeFrom: 'reboot' });
    // A half-written stage is staged again, never booted.
    expect(planUpgrade(state(observed, stage), target, { stagedSha256: target.sha256, incompleteStage: true }, { waiveUncommittedRunning: false })).toMatchObject({ resumeFrom: 'stage' });
    expect(planUpgrade(state(observed, stage, bootedNew), target, facts, { waiveUncommittedRunning: false })).toMatchObject({ kind: 'ready', resumeFrom: 'verify' });
    expect(planUpgrade(state(observed, stage, bootedNew, { type: 'CommitBank', data: { bank: 1 } }), target, facts, { waiveUncommittedRunning: false })).toMatchObject({
      kind: 'already-on-target',
    });
  });

  it('refuses, before anything is written, a host whose running bank does not read as committed', () => {
    const damaged: BankCommand = { type: 'ObserveBanks', data: { bootedBank: 0, bank0: 'bootstate=0\nbuild=8.0.2\u0000\u0000garbage', bank1: cfg({ build: BUILD_801, updated: 1 }) } };
    const plan = planUpgrade(state(damaged), target, facts, { waiveUncommittedRunning: true });
    expect(plan).toMatchObject({ kind: 'refused' });
    expect(plan.kind === 'refused' && plan.reason).toMatch(/BOOTED_BANK_NOT_COMMITTED.*boot\.cfg may be damaged/);
  });

  it('stages over an uncommitted (DIRTY) running image only when the operator waived it', () => {
    const dirty = state(observed, stage, bootedNew);
    const other = { build: '8.0.3-0.0.99999999', sha256: sha('b') };
    expect(planUpgrade(dirty, other, facts, { waiveUncommittedRunning: false })).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/commit it/) });
    expect(planUpgrade(dirty, other, facts, { waiveUncommittedRunning: true })).toMatchObject({ kind: 'ready', resumeFrom: 'stage' });
  });
});

describe('settlementFor', () => {
  const hostId = 'esx-01';
  it('leaves an untouched host alone', () => {
    expect(settlementFor(state(observed), BUILD_803, hostId)).toMatchObject({ kind: 'ended', endState: 'untouched' });
  });
  it('abandons a staged image that never booted', () => {
    expect(settlementFor(state(observed, stage), BUILD_803, hostId)).toMatchObject({ kind: 'abandon-stage' });
  });
  it('rolls back a new image that booted but was not verified, while the previous image is there', () => {
    expect(settlementFor(state(observed, stage, bootedNew), BUILD_803, hostId)).toMatchObject({ kind: 'roll-back' });
  });
  it('calls an unverified new image with nothing to roll back to a host that needs attention, and says how to settle it', () => {
    const noRollback: BankCommand = { type: 'ObserveBanks', data: { bootedBank: 0, bank0: cfg({ build: BUILD_802, updated: 2 }), bank1: null } };
    const settlement = settlementFor(state(noRollback, stage, bootedNew, { type: 'ObserveBanks', data: { bootedBank: 1, bank0: cfg({ build: BUILD_802, updated: 2, bootstate: 3 }), bank1: cfg({ build: BUILD_803, updated: 3, bootstate: 2 }) } }), BUILD_803, hostId);
    expect(settlement).toMatchObject({ kind: 'attention', settle: expect.stringContaining('bankswitch host commit esx-01') });
  });
  it('knows a fallback from a rollback, and a committed upgrade as upgraded', () => {
    expect(settlementFor(state(observed, stage, fellBack), BUILD_803, hostId)).toMatchObject({ kind: 'ended', endState: 'fell-back' });
    const rolledBack = state(observed, stage, bootedNew, { type: 'RollBack', data: { reason: 'verify failed' } }, { type: 'RecordBoot', data: { bootedBank: 0, build: BUILD_802 } });
    expect(settlementFor(rolledBack, BUILD_803, hostId)).toMatchObject({ kind: 'ended', endState: 'rolled-back' });
    const abandoned = state(observed, stage, { type: 'AbandonStagedImage', data: { reason: 'cancelled' } });
    expect(settlementFor(abandoned, BUILD_803, hostId)).toMatchObject({ kind: 'ended', endState: 'rolled-back' });
    expect(settlementFor(state(observed, stage, bootedNew, { type: 'CommitBank', data: { bank: 1 } }), BUILD_803, hostId)).toMatchObject({ kind: 'ended', endState: 'upgraded' });
  });
  it('rolls back a new image the host marked VALID itself as it booted (ESXi does) when the upgrade never verified it', () => {
    // The boot as an ESXi host reports it: bank 1 booted and already VALID (bootstate=0).
    const esxiBoot: BankCommand = {
      type: 'RecordBoot',
      data: { bootedBank: 1, build: BUILD_803, bank0: cfg({ build: BUILD_802, updated: 2 }), bank1: cfg({ build: BUILD_803, updated: 3, bootstate: 0 }) },
    };
    const booted = history(observed, stage, esxiBoot);
    expect(booted.map((e) => e.type).slice(-2)).toEqual(['BankBooted', 'BankCommitted']);
    const afterBoot = evolveAll(initialState(), booted);
    expect(settlementFor(afterBoot, BUILD_803, hostId, { verified: false })).toMatchObject({ kind: 'roll-back', detail: expect.stringContaining('never verified') });
    expect(settlementFor(afterBoot, BUILD_803, hostId, { verified: true })).toMatchObject({ kind: 'ended', endState: 'upgraded' });
    expect(settlementFor(afterBoot, BUILD_803, hostId)).toMatchObject({ kind: 'ended', endState: 'upgraded' });
  });
});

describe('RebootIntoStaged', () => {
  it('is accepted only while the staged build waits in the inactive bank', () => {
    const reboot: BankCommand = { type: 'RebootIntoStaged', data: { build: BUILD_803 } };
    expect(decide(reboot, state(observed, stage))).toEqual({ ok: true, events: [] });
    expect(decide(reboot, state(observed))).toMatchObject({ ok: false, refusal: { code: 'NOTHING_STAGED' } });
    expect(decide(reboot, state(observed, stage, { type: 'AbandonStagedImage', data: { reason: 'x' } }))).toMatchObject({ ok: false });
  });
});

describe('upgrade lifecycle events', () => {
  it('fold into where the host stands', () => {
    const events: HostEvent[] = [
      ...history(observed),
      { type: 'UpgradeStarted', data: { campaignId: 'c1', attempt: 1, fromBuild: BUILD_802, toBuild: BUILD_803, resumeFrom: 'stage', skipped: [] } },
    ];
    expect(evolveAll(initialState(), events).standing).toMatchObject({ state: 'upgrading', campaignId: 'c1' });
    events.push({ type: 'UpgradeEnded', data: { campaignId: 'c1', attempt: 1, toBuild: BUILD_803, endState: 'needs-attention', cause: 'failed', reason: 'did not come back', failedStep: 'boot', bootLog: [], settle: 'power-cycle it' } });
    expect(evolveAll(initialState(), events).standing).toMatchObject({ state: 'needs-attention', settle: 'power-cycle it', cause: 'failed' });
    events.push({ type: 'HostActionTaken', data: { action: 'observe', reason: 'back', endState: 'rolled-back', detail: 'came back on 8.0.2', settle: null } });
    expect(evolveAll(initialState(), events).standing).toMatchObject({ state: 'rolled-back', campaignId: null, toBuild: '8.0.3-0.0.24022510', reason: 'observe by an operator: came back on 8.0.2' });
  });
});
