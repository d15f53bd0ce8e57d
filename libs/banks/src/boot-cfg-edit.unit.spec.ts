import { describe, expect, it } from 'vitest';
import { ESXI8_BOOT_CFG } from '../test/boot-cfg-fixtures';
import { BootCfgError } from './boot-cfg-error';
import { formatBootCfg, parseBootCfg } from './boot-cfg';
import { setBootCfgValue } from './boot-cfg-edit';

const set = (text: string, key: string, value: string): string =>
  formatBootCfg(setBootCfgValue(parseBootCfg(text), key, value));

describe('setBootCfgValue', () => {
  it.each([
    ['replaces a value in place', 'bootstate=0\nupdated=3\n', 'updated', '4', 'bootstate=0\nupdated=4\n'],
    ['keeps spacing around = and after the value', 'a=1\nbootstate = 1  \nb=2\n', 'bootstate', '2', 'a=1\nbootstate = 2  \nb=2\n'],
    ['keeps CRLF', 'bootstate=1\r\nupdated=3\r\n', 'bootstate', '2', 'bootstate=2\r\nupdated=3\r\n'],
    ['replaces the first of duplicates', 'updated=3\nupdated=9\n', 'updated', '4', 'updated=4\nupdated=9\n'],
    ['keeps the key spelling', 'BUILD=1\n', 'build', '2', 'BUILD=2\n'],
    ['appends a new key', 'updated=3\n', 'build', '8.0.3', 'updated=3\nbuild=8.0.3\n'],
    ['appends with the file line ending', 'a=1\r\nb=2\r\n', 'c', '3', 'a=1\r\nb=2\r\nc=3\r\n'],
    ['keeps the absence of a final newline', 'a=1\nb=2', 'c', '3', 'a=1\nb=2\nc=3'],
    ['starts an empty file', '', 'build', '8.0.3', 'build=8.0.3\n'],
    ['puts a new bootstate first, inside the 512 bytes', '# c\nupdated=3\n', 'bootstate', '1', 'bootstate=1\n# c\nupdated=3\n'],
  ])('%s', (_name, text, key, value, expected) => {
    expect(set(text, key, value)).toBe(expected);
  });

  it('changes only the bootstate digit in a full ESXi 8 file', () => {
    const updated = set(ESXI8_BOOT_CFG, 'bootstate', '1');
    expect(updated).toBe(ESXI8_BOOT_CFG.replace('bootstate=0', 'bootstate=1'));
  });

  it('leaves the original cfg untouched', () => {
    const cfg = parseBootCfg('updated=3\n');
    const next = setBootCfgValue(cfg, 'updated', '4');
    expect([cfg.updated, next.updated]).toEqual([3, 4]);
  });

  it.each([
    ['updated', 'x', 'boot.cfg: key "updated" has value "x", expected a whole number'],
    ['kernelopt', 'a\nbootstate=1', 'boot.cfg: key "kernelopt" has a line break in its value'],
    ['bad key', '1', 'boot.cfg: "bad key" is not a valid key'],
  ])('refuses %s=%j', (key, value, message) => {
    const attempt = () => setBootCfgValue(parseBootCfg(''), key, value);
    expect(attempt).toThrow(BootCfgError);
    expect(attempt).toThrow(message);
  });
});
