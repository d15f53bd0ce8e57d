import { describe, expect, it } from 'vitest';
import { BUILD_802, BUILD_803, cfg } from '../test/boot-cfg-fixtures';
import { canRollBack, hostBanksFromBootCfgs, inactiveBank, initialState } from './host-banks';

describe('hostBanksFromBootCfgs', () => {
  it('reads build, updated and bootstate of both banks', () => {
    const state = hostBanksFromBootCfgs(cfg({ build: BUILD_802, updated: 3 }), cfg({ build: BUILD_803, updated: 4, bootstate: 2 }), 1);
    expect(state).toEqual({
      banks: [
        { build: BUILD_802, updated: 3, bootstate: 'VALID', sha256: null },
        { build: BUILD_803, updated: 4, bootstate: 'DIRTY', sha256: null },
      ],
      bootedBank: 1,
      lastBoot: null,
      standing: null,
    });
  });

  it.each([
    ['an empty bank', null],
    ['a corrupt file', 'garbage\n'],
    ['a truncated file (no build, no updated)', 'bootstate=0\ntitle=Loading VMw'],
    ['a missing bootstate', cfg({ bootstate: undefined })],
    ['an unknown bootstate', cfg({ bootstate: 9 })],
    ['a bootstate beyond 512 bytes', `# ${'x'.repeat(600)}\n${cfg()}`],
    ['a spent QuickBoot bank', cfg({ quickboot: 1 })],
  ])('reads %s in the other bank as INVALID, so it is no rollback target', (_name, text) => {
    const state = hostBanksFromBootCfgs(cfg({ updated: 5, build: BUILD_803 }), text, 0);
    expect(state.banks[1].bootstate).toBe('INVALID');
    expect(canRollBack(state).possible).toBe(false);
  });
});

describe('canRollBack and inactiveBank', () => {
  it.each([
    [hostBanksFromBootCfgs(cfg({ build: BUILD_802 }), cfg({ build: BUILD_803, updated: 2 }), 1), { possible: true, toBank: 0, toBuild: BUILD_802, reason: `bank 0 holds VALID build ${BUILD_802}` }, 0],
    [hostBanksFromBootCfgs(cfg({ build: BUILD_802 }), cfg({ build: BUILD_803, updated: 2, bootstate: 1 }), 0), { possible: false, reason: `bank 1 holds staged build ${BUILD_803}, the previous image was overwritten` }, 1],
    [hostBanksFromBootCfgs(cfg({ build: BUILD_802, bootstate: 3 }), cfg({ build: BUILD_803, updated: 2 }), 1), { possible: false, reason: `bank 0 holds INVALID build ${BUILD_802}` }, 0],
    [hostBanksFromBootCfgs(null, cfg(), 1), { possible: false, reason: 'bank 0 is empty or unreadable' }, 0],
    [initialState(), { possible: false, reason: 'the booted bank is not known' }, null],
  ])('case %#', (state, expected, inactive) => {
    expect(canRollBack(state)).toEqual(expected);
    expect(inactiveBank(state)).toBe(inactive);
  });
});
