import { describe, expect, it } from 'vitest';
import { BUILD_802, BUILD_803, ESXI8_BOOT_CFG, cfg } from '../test/boot-cfg-fixtures';
import { parseBootCfg } from './boot-cfg';
import { runBootLoader } from './boot-loader';

const OLD = cfg({ build: BUILD_802, updated: 3 });
const state = (text: string | null) => (text === null ? null : parseBootCfg(text).bootstate);

describe('runBootLoader: one normal boot', () => {
  it.each([
    { name: 'two VALID banks: the highest updated boots', bank0: OLD, bank1: cfg({ build: BUILD_803, updated: 4 }), boots: 1, after: [0, 0] },
    { name: 'equal updated: bank 0 boots (strict > in bank_auto_select)', bank0: cfg({ updated: 4 }), bank1: cfg({ updated: 4 }), boots: 0, after: [0, 0] },
    { name: 'UPGRADING becomes DIRTY, is written back and boots', bank0: OLD, bank1: cfg({ bootstate: 1, updated: 4 }), boots: 1, after: [0, 2] },
    { name: 'DIRTY found at boot becomes INVALID and the host falls back', bank0: OLD, bank1: cfg({ bootstate: 2, updated: 4 }), boots: 0, after: [0, 3], message: 'BANK1: system has failed to upgrade' },
    { name: 'INVALID is never selected, even with a higher updated', bank0: OLD, bank1: cfg({ bootstate: 3, updated: 9 }), boots: 0, after: [0, 3] },
    { name: 'an unknown bootstate becomes INVALID', bank0: OLD, bank1: cfg({ bootstate: 7, updated: 9 }), boots: 0, after: [0, 3], message: 'BANK1: invalid boot state' },
    { name: 'both banks INVALID: nothing boots', bank0: cfg({ bootstate: 3 }), bank1: cfg({ bootstate: 3 }), boots: null, after: [3, 3], message: 'No bootable hypervisor found' },
    { name: 'both banks empty: nothing boots', bank0: null, bank1: null, boots: null, after: [null, null] },
    { name: 'an empty bank is skipped', bank0: null, bank1: OLD, boots: 1, after: [null, 0] },
    { name: 'updated=0 makes a VALID bank unbootable but leaves its state', bank0: OLD, bank1: cfg({ updated: 0 }), boots: 0, after: [0, 0], message: 'BANK1: invalid update counter' },
    { name: 'an empty build makes a bank unbootable', bank0: OLD, bank1: cfg({ build: '', updated: 9 }), boots: 0, after: [0, 0], message: 'BANK1: invalid build number' },
    { name: 'a missing build makes a bank unbootable', bank0: OLD, bank1: cfg({ build: undefined, updated: 9 }), boots: 0, after: [0, 0] },
    { name: 'a freshly written bank with an empty build fails its upgrade', bank0: OLD, bank1: cfg({ bootstate: 1, build: '', updated: 4 }), boots: 0, after: [0, 3], message: 'BANK1: system has failed to upgrade' },
    { name: 'a missing bootstate is UNDEFINED: ignored, file untouched', bank0: OLD, bank1: cfg({ bootstate: undefined, updated: 9 }), boots: 0, after: [0, undefined], message: 'BANK1: boot state not found' },
    { name: 'a QuickBoot bank is spent at a normal boot', bank0: OLD, bank1: cfg({ quickboot: 1, updated: 4 }), boots: 0, after: [0, 3], message: 'BANK1: one-time QuickBoot bank invalidated' },
    { name: 'a QuickBoot bank that was UPGRADING is spent, not a failed upgrade', bank0: OLD, bank1: cfg({ quickboot: 1, bootstate: 1, updated: 4 }), boots: 0, after: [0, 3] },
    { name: 'a corrupt file is an invalid bank', bank0: 'bootstate=0\nthis is not a cfg\n', bank1: OLD, boots: 1, after: [undefined, 0], message: 'BANK0: no valid configuration file (boot.cfg line 2: "this is not a cfg" is not a key=value line)' },
    { name: 'a non-number updated is a corrupt file', bank0: OLD, bank1: cfg({ updated: 'abc', bootstate: 1 }), boots: 0, after: [0, undefined] },
  ])('$name', ({ bank0, bank1, boots, after, message }) => {
    const result = runBootLoader(bank0, bank1);
    expect(result.boots).toBe(boots);
    const read = (text: string | null) => {
      try {
        return state(text);
      } catch {
        return undefined;
      }
    };
    expect([read(result.bank0), read(result.bank1)]).toEqual(after);
    if (message) expect(result.messages).toContain(message);
  });

  it('prints "system has failed to upgrade" only for a failed upgrade', () => {
    const messages = runBootLoader(OLD, cfg({ quickboot: 1, bootstate: 2, updated: 4 })).messages;
    expect(messages.join('\n')).not.toContain('failed to upgrade');
  });

  it('returns files it does not change byte for byte', () => {
    const crlf = ESXI8_BOOT_CFG.replace(/\n/g, '\r\n');
    const result = runBootLoader(crlf, '# broken\nnope\n');
    expect(result).toMatchObject({ boots: 0, bank0: crlf, bank1: '# broken\nnope\n' });
  });

  it('rewrites only the bootstate digit, keeping CRLF, comments and the long modules line', () => {
    const upgrading = ESXI8_BOOT_CFG.replace('bootstate=0', 'bootstate=1').replace('updated=3', 'updated=4').replace(/\n/g, '\r\n');
    const result = runBootLoader(OLD, upgrading);
    expect(result.boots).toBe(1);
    expect(result.bank1).toBe(upgrading.replace('bootstate=1', 'bootstate=2'));
  });

  it('treats a bank whose bootstate lies beyond the first 512 bytes as invalid and leaves it alone', () => {
    const far = `# ${'x'.repeat(600)}\n${cfg({ updated: 9 })}`;
    const result = runBootLoader(OLD, far);
    expect(result).toMatchObject({ boots: 0, bank1: far });
    expect(result.messages).toContain('BANK1: boot state not found in the first 512 bytes');
  });
});

describe('runBootLoader: an upgrade over several boots', () => {
  it('reboot while DIRTY: the new bank boots once, then is given up and the host falls back', () => {
    const first = runBootLoader(OLD, cfg({ build: BUILD_803, bootstate: 1, updated: 4 }));
    expect([first.boots, state(first.bank1)]).toEqual([1, 2]);
    // The new image crashed before the tools marked it VALID.
    const second = runBootLoader(first.bank0, first.bank1);
    expect([second.boots, state(second.bank1)]).toEqual([0, 3]);
    expect(second.bank0).toBe(OLD);
    expect(second.messages).toContain('BANK1: system has failed to upgrade');
    const third = runBootLoader(second.bank0, second.bank1);
    expect([third.boots, third.bank0, third.bank1]).toEqual([0, second.bank0, second.bank1]);
  });
});

describe('runBootLoader: Shift+R', () => {
  it('with two valid banks, invalidates the default and boots the other, for good', () => {
    const result = runBootLoader(OLD, cfg({ build: BUILD_803, updated: 4 }), { shiftR: true });
    expect(result.boots).toBe(0);
    expect([state(result.bank0), state(result.bank1)]).toEqual([0, 3]);
    expect(result.bank0).toBe(OLD);
    expect(result.messages).toEqual(expect.arrayContaining([
      'Installed hypervisors:',
      `   BANK0: ${BUILD_802}`,
      `   BANK1: ${BUILD_803} (Default)`,
      'Rolling back (invalidating BANK1)',
    ]));
    expect(runBootLoader(result.bank0, result.bank1).boots).toBe(0);
  });

  it('with only one valid bank, says so and boots normally', () => {
    const bank1 = cfg({ bootstate: 3, updated: 4 });
    const result = runBootLoader(OLD, bank1, { shiftR: true });
    expect(result).toMatchObject({ boots: 0, bank0: OLD, bank1 });
    expect(result.messages).toContain('No alternate hypervisor to roll back to');
  });

  it('with an empty alternate bank, says so and boots normally', () => {
    const result = runBootLoader(null, OLD, { shiftR: true });
    expect(result).toMatchObject({ boots: 1, bank0: null, bank1: OLD });
    expect(result.messages).toContain('No alternate hypervisor to roll back to');
  });

  it('during an upgrade, gives up the new image (shown as Upgrading) and boots the old one', () => {
    const result = runBootLoader(OLD, cfg({ build: BUILD_803, bootstate: 1, updated: 4 }), { shiftR: true });
    expect(result.boots).toBe(0);
    expect(state(result.bank1)).toBe(3);
    expect(result.messages).toContain(`   BANK1: ${BUILD_803} (Upgrading...)`);
  });

  it('on equal updated, the default is bank 0, so Shift+R boots bank 1', () => {
    const result = runBootLoader(cfg({ updated: 4 }), cfg({ updated: 4 }), { shiftR: true });
    expect([result.boots, state(result.bank0), state(result.bank1)]).toEqual([1, 3, 0]);
  });
});
