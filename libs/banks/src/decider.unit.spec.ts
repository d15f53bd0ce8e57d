import { describe, expect, it } from 'vitest';
import { BUILD_802, BUILD_803, BUILD_803B, BUILD_803C, cfg, sha } from '../test/boot-cfg-fixtures';
import { formatBootCfg, parseBootCfg } from './boot-cfg';
import { setBootCfgValue } from './boot-cfg-edit';
import { runBootLoader } from './boot-loader';
import type { BankCommand } from './commands';
import { decide } from './decide';
import type { Decision } from './decision';
import type { BankEvent } from './events';
import { bankEventSchema } from './events';
import { evolveAll } from './evolve';
import type { BankIndex, HostBanks } from './host-banks';
import { canRollBack, hostBanksFromBootCfgs, initialState } from './host-banks';

/** Given events, when a command: the decision, every event checked against its schema. */
function when(given: readonly BankEvent[], command: BankCommand): Decision {
  const decision = decide(command, evolveAll(initialState(), given));
  if (decision.ok) for (const event of decision.events) expect(bankEventSchema.parse(event)).toEqual(event);
  return decision;
}

function accepted(given: readonly BankEvent[], command: BankCommand): BankEvent[] {
  const decision = when(given, command);
  if (!decision.ok) throw new Error(`refused: ${decision.refusal.code} ${decision.refusal.message}`);
  return [...given, ...decision.events];
}

const observe = (bank0: string | null, bank1: string | null, bootedBank: BankIndex | null): BankCommand => ({
  type: 'ObserveBanks',
  data: { bank0, bank1, bootedBank },
});
const stage = (build: string, seed = 'a', updated?: number): BankCommand => ({
  type: 'StageImage',
  data: { build, sha256: sha(seed), ...(updated === undefined ? {} : { updated }) },
});
const booted = (bootedBank: BankIndex, build: string): BankCommand => ({ type: 'RecordBoot', data: { bootedBank, build } });
const commit = (bank: BankIndex): BankCommand => ({ type: 'CommitBank', data: { bank } });
const rollBack: BankCommand = { type: 'RollBack', data: {} };
const types = (events: readonly BankEvent[]) => events.map((event) => event.type);
const stateOf = (events: readonly BankEvent[]): HostBanks => evolveAll(initialState(), events);

/** A host freshly installed with 8.0.2 in bank 0, bank 1 empty. */
const installed = accepted([], observe(cfg({ build: BUILD_802, updated: 1 }), null, 0));

describe('the bank decider', () => {
  it('abandons a staged, never-booted image by invalidating its bank', () => {
    const committed = accepted(installed, stage(BUILD_803));
    const decision = when(committed, { type: 'AbandonStagedImage', data: { reason: 'upgrade cancelled before reboot' } });
    expect(decision).toEqual({
      ok: true,
      events: [{ type: 'BankInvalidated', data: { bank: 1, build: BUILD_803, reason: 'upgrade cancelled before reboot' } }],
    });
    const after = stateOf([...committed, ...(decision.ok ? decision.events : [])]);
    expect(after.banks[1].bootstate).toBe('INVALID');
    expect(after.banks[0]).toMatchObject({ build: BUILD_802, bootstate: 'VALID' });
  });

  it('has nothing to abandon when no image is staged', () => {
    expect(when(installed, { type: 'AbandonStagedImage', data: { reason: 'cancelled' } })).toEqual({ ok: true, events: [] });
  });

  it('starts from the observed banks: the first observation is a baseline, not drift', () => {
    expect(types(installed)).toEqual(['BankStateObserved']);
    expect(stateOf(installed)).toMatchObject({ bootedBank: 0, banks: [{ build: BUILD_802, bootstate: 'VALID' }, { build: null }] });
    expect(canRollBack(stateOf(installed)).possible).toBe(false);
  });

  it('three consecutive upgrades: each one keeps exactly one rollback target, the previous build', () => {
    let history = installed;
    const builds = [BUILD_803, BUILD_803B, BUILD_803C];
    let previous = BUILD_802;
    for (const [step, build] of builds.entries()) {
      const target = (step % 2 === 0 ? 1 : 0) as BankIndex;
      history = accepted(history, stage(build, 'abc'[step]));
      expect(history.at(-1)).toMatchObject({ type: 'ImageStaged', data: { bank: target, updated: step + 2, rollbackImageLost: step > 0 } });
      // Staging overwrote the bank that held the build before the previous one.
      expect(canRollBack(stateOf(history)).possible).toBe(false);
      history = accepted(history, booted(target, build));
      expect(history.at(-1)).toMatchObject({ type: 'BankBooted', data: { bank: target, firstBoot: true } });
      expect(stateOf(history).banks[target].bootstate).toBe('DIRTY');
      history = accepted(history, commit(target));
      expect(canRollBack(stateOf(history))).toMatchObject({ possible: true, toBuild: previous, toBank: 1 - target });
      previous = build;
    }
    expect(stateOf(history)).toMatchObject({
      bootedBank: 1,
      banks: [{ build: BUILD_803B, updated: 3, bootstate: 'VALID' }, { build: BUILD_803C, updated: 4, bootstate: 'VALID', sha256: sha('c') }],
      lastBoot: { bank: 1, build: BUILD_803C, outcome: 'booted-new-image' },
    });
  });

  it('records a fallback when the host comes back on the old build: the new bank is INVALID', () => {
    const staged = accepted(installed, stage(BUILD_803));
    const history = accepted(staged, booted(0, BUILD_802));
    expect(history.at(-1)).toEqual({ type: 'BootFellBack', data: { failedBank: 1, failedBuild: BUILD_803, bank: 0, build: BUILD_802 } });
    expect(stateOf(history)).toMatchObject({ bootedBank: 0, banks: [{ bootstate: 'VALID' }, { bootstate: 'INVALID' }], lastBoot: { outcome: 'fell-back' } });
    expect(canRollBack(stateOf(history)).possible).toBe(false);
  });

  it('reboot while DIRTY: the new image booted once, never committed, and the loader fell back', () => {
    const dirty = accepted(accepted(installed, stage(BUILD_803)), booted(1, BUILD_803));
    const history = accepted(dirty, booted(0, BUILD_802));
    expect(types(history.slice(dirty.length))).toEqual(['BootFellBack']);
    expect(stateOf(history).banks[1].bootstate).toBe('INVALID');
  });

  it('a DIRTY bank that boots again was committed by the host in between', () => {
    const dirty = accepted(accepted(installed, stage(BUILD_803)), booted(1, BUILD_803));
    const history = accepted(dirty, booted(1, BUILD_803));
    expect(types(history.slice(dirty.length))).toEqual(['BankCommitted', 'BankBooted']);
    expect(stateOf(history).banks[1].bootstate).toBe('VALID');
  });

  it('rolls back to the previous image, once', () => {
    const upgraded = accepted(accepted(accepted(installed, stage(BUILD_803)), booted(1, BUILD_803)), commit(1));
    const history = accepted(upgraded, rollBack);
    expect(history.slice(upgraded.length)).toEqual([
      { type: 'BankInvalidated', data: { bank: 1, build: BUILD_803, reason: 'rollback' } },
      { type: 'RolledBack', data: { fromBank: 1, fromBuild: BUILD_803, toBank: 0, toBuild: BUILD_802 } },
    ]);
    expect(stateOf(history)).toMatchObject({ bootedBank: 0, lastBoot: { outcome: 'rolled-back', build: BUILD_802 } });
    expect(when(history, rollBack)).toMatchObject({ ok: false, refusal: { code: 'NO_ROLLBACK_IMAGE' } });
    expect(types(accepted(history, booted(0, BUILD_802)).slice(history.length))).toEqual(['BankBooted']);
  });

  it('rolls back an uncommitted new image too (verification failed)', () => {
    const dirty = accepted(accepted(installed, stage(BUILD_803)), booted(1, BUILD_803));
    expect(when(dirty, rollBack)).toMatchObject({ ok: true, events: [{ type: 'BankInvalidated' }, { type: 'RolledBack' }] });
  });

  it('commits idempotently', () => {
    const upgraded = accepted(accepted(accepted(installed, stage(BUILD_803)), booted(1, BUILD_803)), commit(1));
    expect(when(upgraded, commit(1))).toEqual({ ok: true, events: [] });
  });

  const staged = accepted(installed, stage(BUILD_803));
  const dirty = accepted(staged, booted(1, BUILD_803));
  const fellBack = accepted(staged, booted(0, BUILD_802));
  it.each<[string, readonly BankEvent[], BankCommand, string]>([
    ['staging before the booted bank is known', [], stage(BUILD_803), 'BOOTED_BANK_UNKNOWN'],
    ['staging while the booted bank is uncommitted', dirty, stage(BUILD_803B), 'BOOTED_BANK_NOT_COMMITTED'],
    ['staging the build already running', installed, stage(BUILD_802), 'BUILD_ALREADY_RUNNING'],
    ['staging an empty build', installed, stage(' '), 'INVALID_BUILD'],
    ['staging with a malformed digest', installed, { type: 'StageImage', data: { build: BUILD_803, sha256: 'XYZ' } }, 'INVALID_SHA256'],
    ['staging with an updated the loader would not prefer', installed, stage(BUILD_803, 'a', 1), 'UPDATED_NOT_HIGHER'],
    ['committing a bank that did not boot', staged, commit(1), 'BANK_NOT_BOOTED'],
    ['committing the bank that fell back', fellBack, commit(1), 'BANK_NOT_BOOTED'],
    ['rolling back with an empty alternate bank', installed, rollBack, 'NO_ROLLBACK_IMAGE'],
    ['rolling back after staging overwrote the old image', staged, rollBack, 'NO_ROLLBACK_IMAGE'],
    ['rolling back after a fallback', fellBack, rollBack, 'NO_ROLLBACK_IMAGE'],
    ['rolling back with no known booted bank', [], rollBack, 'BOOTED_BANK_UNKNOWN'],
    ['recording a boot of a build the bank does not hold', staged, booted(1, BUILD_803B), 'UNEXPECTED_BUILD'],
    ['recording a boot from an INVALID bank', fellBack, booted(1, BUILD_803), 'BANK_NOT_BOOTABLE'],
  ])('refuses %s', (_name, given, command, code) => {
    const decision = when(given, command);
    expect(decision).toMatchObject({ ok: false, refusal: { code } });
    if (!decision.ok) expect(decision.refusal.message).not.toBe('');
  });

  it('records drift when the host differs from the history, and takes the host as the truth', () => {
    const decision = when(staged, observe(cfg({ build: BUILD_802, updated: 1 }), cfg({ build: BUILD_803, updated: 2, bootstate: 3 }), 0));
    expect(decision).toMatchObject({
      ok: true,
      events: [
        { type: 'DriftDetected', data: { differences: [{ subject: 'bank 1 bootstate', expected: 'UPGRADING', observed: 'INVALID' }] } },
        { type: 'BankStateObserved' },
      ],
    });
    if (decision.ok) {
      const after = stateOf([...staged, ...decision.events]);
      expect(after.banks[1]).toEqual({ build: BUILD_803, updated: 2, bootstate: 'INVALID', sha256: sha('a') });
    }
  });

  it('records an observation without drift when the host matches', () => {
    const decision = when(installed, observe(cfg({ build: BUILD_802, updated: 1 }), null, 0));
    expect(decision).toMatchObject({ ok: true, events: [{ type: 'BankStateObserved' }] });
  });

  it('reads the host committing the new bank itself as BankCommitted, not drift', () => {
    const command: BankCommand = {
      type: 'RecordBoot',
      data: { bootedBank: 1, build: BUILD_803, bank0: cfg({ build: BUILD_802, updated: 1 }), bank1: cfg({ build: BUILD_803, updated: 2 }) },
    };
    expect(types(accepted(staged, command).slice(staged.length))).toEqual(['BankBooted', 'BankCommitted']);
  });

  it('leaves the state unchanged for an event type it does not know', () => {
    const state = stateOf(installed);
    expect(evolveAll(state, [{ type: 'SomethingNew', data: {} } as unknown as BankEvent])).toBe(state);
  });
});

describe('the decider agrees with the boot loader', () => {
  it('matches the banks a simulated host ends up with, step by step', () => {
    const set = (text: string | null, values: Record<string, string>): string =>
      formatBootCfg(Object.entries(values).reduce((c, [k, v]) => setBootCfgValue(c, k, v), parseBootCfg(text ?? cfg())));

    let files: [string | null, string | null] = [cfg({ build: BUILD_802, updated: 1 }), null];
    let bootedBank: BankIndex = 0;
    let history = accepted([], observe(files[0], files[1], 0));
    const reboot = (): void => {
      const result = runBootLoader(files[0], files[1]);
      files = [result.bank0, result.bank1];
      if (result.boots === null) throw new Error('host did not boot');
      bootedBank = result.boots;
      const build = parseBootCfg(files[bootedBank] ?? '').build ?? '';
      history = accepted(history, booted(bootedBank, build));
    };
    const expectAgreement = (): void => {
      const { banks, bootedBank: b } = stateOf(history);
      const fromHost = hostBanksFromBootCfgs(files[0], files[1], bootedBank);
      expect({ banks: banks.map(({ sha256: _s, ...rest }) => rest), b }).toEqual({
        banks: fromHost.banks.map(({ sha256: _s, ...rest }) => rest),
        b: fromHost.bootedBank,
      });
    };

    for (const [index, build] of [BUILD_803, BUILD_803B].entries()) {
      const decision = when(history, stage(build, 'ab'[index]));
      if (!decision.ok) throw new Error(decision.refusal.message);
      const event = decision.events[0];
      if (event?.type !== 'ImageStaged') throw new Error('expected ImageStaged');
      history = [...history, ...decision.events];
      files[event.data.bank] = set(files[event.data.bank], { bootstate: '1', build, updated: String(event.data.updated) });
      expectAgreement();
      reboot();
      expectAgreement();
      history = accepted(history, commit(bootedBank));
      files[bootedBank] = set(files[bootedBank], { bootstate: '0' });
      expectAgreement();
    }

    // A third upgrade crashes on its first boot: reboot while DIRTY falls back.
    const decision = when(history, stage(BUILD_803C, 'c'));
    if (!decision.ok || decision.events[0]?.type !== 'ImageStaged') throw new Error('expected ImageStaged');
    const target = decision.events[0].data.bank;
    history = [...history, ...decision.events];
    files[target] = set(files[target], { bootstate: '1', build: BUILD_803C, updated: String(decision.events[0].data.updated) });
    reboot();
    reboot();
    expectAgreement();
    expect(stateOf(history).lastBoot).toEqual({ bank: 0, build: BUILD_803B, outcome: 'fell-back' });
  });
});
