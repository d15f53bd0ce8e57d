// How the simulated ESXi shell splits what the driver sends: sequences and quoting as
// BusyBox ash does for the commands the driver uses.
import { describe, expect, it } from 'vitest';
import { bankVolumeUuid, splitSequence, splitWords } from './esxi-shell';

describe('the simulated ESXi shell', () => {
  it('runs `;` and `&&` sequences, leaving quoted separators alone', () => {
    expect(splitSequence("cat > /tmp/a && mv /tmp/a /tmp/b; sync")).toEqual([
      { command: 'cat > /tmp/a', joiner: '' },
      { command: 'mv /tmp/a /tmp/b', joiner: '&&' },
      { command: 'sync', joiner: ';' },
    ]);
    expect(splitSequence("esxcli system shutdown reboot --reason 'a; b && c'")).toHaveLength(1);
    expect(splitSequence("echo 'it'\\''s'; sync").map((part) => part.command)).toEqual(["echo 'it'\\''s'", 'sync']);
  });

  it("removes quotes the way sh does, the driver's '\\'' escape included", () => {
    expect(splitWords("esxcli software profile update -d /tmp/d.zip -p 'ESXi-8.0.3-standard'")).toEqual(['esxcli', 'software', 'profile', 'update', '-d', '/tmp/d.zip', '-p', 'ESXi-8.0.3-standard']);
    expect(splitWords("echo 'it'\\''s' \"two words\" ''")).toEqual(['echo', "it's", 'two words', '']);
  });

  it('gives each bank of a host a VMFS-style volume UUID, the same at every boot', () => {
    expect(bankVolumeUuid('h1', 0)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(bankVolumeUuid('h1', 0)).toBe(bankVolumeUuid('h1', 0));
    expect(bankVolumeUuid('h1', 1)).not.toBe(bankVolumeUuid('h1', 0));
  });
});
