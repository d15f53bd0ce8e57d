import { describe, expect, it } from 'vitest';
import { ESXI8_BOOT_CFG, cfg } from '../test/boot-cfg-fixtures';
import { parseBootCfg } from './boot-cfg';
import { validateBootCfg } from './boot-cfg-validate';

const problems = (text: string, required?: readonly string[]) =>
  validateBootCfg(parseBootCfg(text), required ? { required } : {}).map(({ code, key, line, message }) => ({ code, key, line, message }));

describe('validateBootCfg', () => {
  it('finds nothing wrong with a full ESXi 8 file', () => {
    expect(problems(ESXI8_BOOT_CFG)).toEqual([]);
  });

  it.each([
    ['missing keys', 'title=x\n', undefined, [
      { code: 'missing-key', key: 'build', line: undefined, message: 'boot.cfg: key "build" is missing' },
      { code: 'missing-key', key: 'updated', line: undefined, message: 'boot.cfg: key "updated" is missing' },
      { code: 'missing-key', key: 'bootstate', line: undefined, message: 'boot.cfg: key "bootstate" is missing' },
    ]],
    ['only what the caller requires', 'title=x\n', ['build'], [
      { code: 'missing-key', key: 'build', line: undefined, message: 'boot.cfg: key "build" is missing' },
    ]],
    ['an empty build', cfg({ build: '' }), undefined, [
      { code: 'empty-build', key: 'build', line: 7, message: 'boot.cfg line 7: key "build" is empty' },
    ]],
    ['updated zero', cfg({ updated: 0 }), undefined, [
      { code: 'updated-not-positive', key: 'updated', line: 8, message: 'boot.cfg line 8: key "updated" is 0, the loader needs at least 1' },
    ]],
    ['an unknown bootstate', cfg({ bootstate: 7 }), undefined, [
      { code: 'unknown-bootstate', key: 'bootstate', line: 1, message: 'boot.cfg line 1: key "bootstate" is 7, expected 0 to 3' },
    ]],
    ['a duplicate loader key', `${cfg()}updated=9\n`, undefined, [
      { code: 'duplicate-key', key: 'updated', line: 8, message: 'boot.cfg line 8: key "updated" appears 2 times; the loader reads the first' },
    ]],
  ])('reports %s', (_name, text, required, expected) => {
    expect(problems(text, required)).toEqual(expected);
  });

  it('reports a bootstate beyond the first 512 bytes, which the loader cannot rewrite', () => {
    const text = `# ${'x'.repeat(600)}\n${cfg()}`;
    expect(problems(text)).toEqual([
      {
        code: 'bootstate-beyond-512-bytes',
        key: 'bootstate',
        line: 2,
        message: 'boot.cfg line 2: key "bootstate" starts at byte 613, beyond the first 512 bytes the loader can rewrite',
      },
    ]);
  });

  it('accepts a bootstate whose value starts at byte 511', () => {
    const text = `#${'x'.repeat(511 - 'bootstate='.length - 2)}\n${cfg()}`;
    expect(parseBootCfg(text).bootstateOffset).toBe(511);
    expect(problems(text)).toEqual([]);
  });
});
