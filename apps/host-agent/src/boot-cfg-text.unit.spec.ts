import { describe, expect, it } from 'vitest';
import { runBootLoader } from '@bankswitch/banks';
import { cfgUpdated, cfgValue, installedBootCfg, isValidBank, withCfgValue } from './boot-cfg-text';

describe('boot.cfg text edits', () => {
  const cfg = installedBootCfg({ build: '8.0.3-1', updated: 4, bootstate: 1 });

  it('writes bootstate first, within the 512 bytes the loader may rewrite', () => {
    expect(cfg.startsWith('bootstate=1\n')).toBe(true);
    expect(cfg.indexOf('bootstate=')).toBeLessThan(512);
    expect(cfgValue(cfg, 'build')).toBe('8.0.3-1');
    expect(cfgUpdated(cfg)).toBe(4);
  });

  it('changes one value in place and keeps every other line', () => {
    const valid = withCfgValue(cfg, 'bootstate', 0);
    expect(valid.split('\n').slice(1)).toEqual(cfg.split('\n').slice(1));
    expect(cfgValue(valid, 'bootstate')).toBe('0');
    expect(withCfgValue('build=x\n', 'bootstate', 3)).toBe('bootstate=3\nbuild=x\n');
    expect(withCfgValue('build=x', 'updated', 2)).toBe('build=x\nupdated=2\n');
  });

  it('calls a bank valid only when VALID, with a build and updated > 0', () => {
    expect(isValidBank(installedBootCfg({ build: 'b', updated: 1, bootstate: 0 }))).toBe(true);
    expect(isValidBank(installedBootCfg({ build: 'b', updated: 1, bootstate: 2 }))).toBe(false);
    expect(isValidBank(installedBootCfg({ build: 'b', updated: 0, bootstate: 0 }))).toBe(false);
    expect(isValidBank(null)).toBe(false);
    expect(cfgUpdated(null)).toBe(0);
  });

  it('writes what the real loader boots: a staged bank (updated+1) wins over the installed one', () => {
    const installed = installedBootCfg({ build: 'old', updated: 1, bootstate: 0 });
    const staged = installedBootCfg({ build: 'new', updated: 2, bootstate: 1 });
    const boot = runBootLoader(installed, staged);
    expect(boot.boots).toBe(1);
    expect(cfgValue(boot.bank1, 'bootstate')).toBe('2');
    // Not marked VALID: the next boot gives up on it.
    const again = runBootLoader(boot.bank0, boot.bank1);
    expect(again.boots).toBe(0);
    expect(cfgValue(again.bank1, 'bootstate')).toBe('3');
  });
});
