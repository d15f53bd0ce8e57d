import { describe, expect, it } from 'vitest';
import { ESXI8_BOOT_CFG } from '../test/boot-cfg-fixtures';
import { BootCfgError } from './boot-cfg-error';
import { formatBootCfg, getBootCfgValue, parseBootCfg } from './boot-cfg';

describe('parseBootCfg / formatBootCfg round trip', () => {
  const crlf = ESXI8_BOOT_CFG.replace(/\n/g, '\r\n');
  it.each([
    ['full ESXi 8 boot.cfg', ESXI8_BOOT_CFG],
    ['full ESXi 8 boot.cfg with CRLF', crlf],
    ['no final newline', ESXI8_BOOT_CFG.trimEnd()],
    ['CRLF without final newline', crlf.trimEnd()],
    ['mixed line endings', 'bootstate=0\r\nbuild=8.0.3\nupdated=2\r\n'],
    ['empty file', ''],
    ['only a newline', '\n'],
    ['comments and blank lines only', '# header\n\n   \t\n  # indented comment\n'],
    ['whitespace around =', 'bootstate = 0\nbuild\t=\t8.0.3-0.0.24022510  \n  updated=  3\t\n'],
    ['unknown keys and odd order', 'zz.custom-key=1\nupdated=3\nfoo_bar=\nbootstate=0\nbuild=x\n'],
    ['values containing = and #', 'kernelopt=autoPartition=FALSE skipPartitioningSsds=TRUE # not a comment\n'],
    ['duplicate keys', 'updated=3\nupdated=4\n'],
    ['trailing blank lines', 'bootstate=0\n\n\n'],
    ['byte order mark', '\uFEFFbootstate=0\nbuild=8.0.3\nupdated=1\n'],
    ['non-ASCII comment', '# Grüße aus dem Rechenzentrum ✓\nbootstate=0\n'],
  ])('%s comes back byte for byte', (_name, text) => {
    expect(formatBootCfg(parseBootCfg(text))).toBe(text);
  });
});

describe('what the loader reads', () => {
  it('reads build, updated, bootstate and quickboot from a full ESXi 8 file', () => {
    const cfg = parseBootCfg(ESXI8_BOOT_CFG);
    expect(cfg).toMatchObject({ build: '8.0.3-0.0.24022510', updated: 3, bootstate: 0, quickboot: undefined });
    expect(getBootCfgValue(cfg, 'kernel')).toBe('b.b00');
    expect(getBootCfgValue(cfg, 'modules')).toMatch(/^b\.b00 --- jumpstrt\.gz --- .* --- state\.tgz$/);
    expect(cfg.bootstateOffset).toBe('bootstate='.length);
  });

  it.each([
    ['spaces around = are not part of the value', 'build = 8.0.3 \n', 'build', '8.0.3'],
    ['keys match case-insensitively, like scan_config', 'BUILD=8.0.3\n', 'build', '8.0.3'],
    ['the first of duplicate keys wins, like scan_config', 'updated=3\nupdated=9\n', 'updated', '3'],
    ['a commented-out key is not read', '#build=8.0.1\nbuild=8.0.3\n', 'build', '8.0.3'],
    ['the value keeps everything after the first =', 'kernelopt=a=b c=d\n', 'kernelopt', 'a=b c=d'],
    ['an empty value is empty', 'prefix=\n', 'prefix', ''],
  ])('%s', (_name, text, key, value) => {
    expect(getBootCfgValue(parseBootCfg(text), key)).toBe(value);
  });

  it('counts the bootstate offset in UTF-8 bytes', () => {
    expect(parseBootCfg('# é\nbootstate=0\n').bootstateOffset).toBe('# é\n'.length + 1 + 'bootstate='.length);
  });
});

describe('malformed files', () => {
  it.each([
    ['a non-number updated', 'bootstate=0\nupdated=abc\n', 'boot.cfg line 2: key "updated" has value "abc", expected a whole number', 2, 'updated'],
    ['an empty updated', 'updated=\n', 'boot.cfg line 1: key "updated" has value "", expected a whole number', 1, 'updated'],
    ['a negative bootstate', '\n\nbootstate=-1\n', 'boot.cfg line 3: key "bootstate" has value "-1", expected a whole number', 3, 'bootstate'],
    ['a word in quickboot', 'quickboot=yes\r\n', 'boot.cfg line 1: key "quickboot" has value "yes", expected a whole number', 1, 'quickboot'],
    ['a line without =', 'bootstate=0\n\nfoo\n', 'boot.cfg line 3: "foo" is not a key=value line', 3, undefined],
    ['a missing key', 'bootstate=0\n=8.0.3\n', 'boot.cfg line 2: "=8.0.3" is not a key=value line', 2, undefined],
    ['a key with a space', 'my key=1\n', 'boot.cfg line 1: "my key=1" is not a key=value line', 1, undefined],
  ])('%s throws a BootCfgError naming the line', (_name, text, message, line, key) => {
    let caught: unknown;
    try {
      parseBootCfg(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(BootCfgError);
    expect(caught).toMatchObject({ message, line, key });
  });
});
