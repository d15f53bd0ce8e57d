// ESXi's output as the driver reads it. The samples are ESXi's own (docs/esxi-ssh.md
// says from which version and source each comes).
import { describe, expect, it } from 'vitest';
import { esxcliError, parseKeyValues, parseSha256sum, parseTable, parseVersion } from './esxi-output';

const VERSION_801 = ['   Product: VMware ESXi', '   Version: 8.0.1', '   Build: Releasebuild-21495797', '   Update: 1', '   Patch: 0', ''].join('\n');
// 9.0 adds a field between Update and Patch: parse by key, never by position.
const VERSION_90 = ['   Product: VMware ESXi', '   Version: 9.0.0', '   Build: Releasebuild-24755229', '   Update: 0', '   Maintenance: 0', '   Patch: 0', ''].join('\n');

const FILESYSTEMS = [
  'Mount Point                                        Volume Name                                 UUID                                 Mounted  Type     Size          Free',
  '-------------------------------------------------  ------------------------------------------  -----------------------------------  -------  ------  ------------  ------------',
  '/vmfs/volumes/66d0a2c5-2b7a3d21-5f0e-0050569b1c2d  OSDATA-66d0a2c5-2b7a3d21-5f0e-0050569b1c2d  66d0a2c5-2b7a3d21-5f0e-0050569b1c2d     true  VMFSOS   128580583424  125108682752',
  '/vmfs/volumes/3c6f4c82-9d3ab0c7-1e5c-7b6d0c1f9a01  BOOTBANK1                                   3c6f4c82-9d3ab0c7-1e5c-7b6d0c1f9a01     true  vfat       4293591040    4027187200',
  '/vmfs/volumes/8a1d7e6b-52c4f0d3-77aa-2f4e9b8c6d10  BOOTBANK2                                   8a1d7e6b-52c4f0d3-77aa-2f4e9b8c6d10     true  vfat       4293591040    4012507136',
  '',
].join('\n');

const UPDATE_RESULT = [
  'Update Result',
  '   Message: The update completed successfully, but the system needs to be rebooted for the changes to be effective.',
  '   Reboot Required: true',
  '   VIBs Installed: VMware_bootbank_esx-base_8.0.3-0.0.24022510',
  '   VIBs Removed: VMware_bootbank_esx-base_8.0.2-0.0.22380479',
  '   VIBs Skipped: ',
  '',
].join('\n');

describe("ESXi's output", () => {
  it('reads the simple formatter by key, header line or not, empty values included', () => {
    expect(parseKeyValues(UPDATE_RESULT)).toMatchObject({ 'Reboot Required': 'true', 'VIBs Skipped': '', Message: expect.stringContaining('needs to be rebooted') });
    expect(parseKeyValues(UPDATE_RESULT)).not.toHaveProperty('Update Result');
  });

  it('reads the version and the build number, whatever fields a version adds', () => {
    expect(parseVersion(VERSION_801)).toEqual({ version: '8.0.1', buildNumber: '21495797' });
    expect(parseVersion(VERSION_90)).toEqual({ version: '9.0.0', buildNumber: '24755229' });
    expect(parseVersion('Error: Unknown command or namespace system version get\n')).toBeUndefined();
  });

  it('reads tables by the columns the dashes mark, right-aligned cells included', () => {
    const rows = parseTable(FILESYSTEMS);
    expect(rows).toHaveLength(3);
    expect(rows.find((row) => row['Volume Name'] === 'BOOTBANK2')).toMatchObject({ UUID: '8a1d7e6b-52c4f0d3-77aa-2f4e9b8c6d10', Mounted: 'true', Type: 'vfat', Free: '4012507136' });
    expect(parseTable('no table here\n')).toEqual([]);
  });

  it("reads BusyBox sha256sum's digest, and nothing from its error", () => {
    expect(parseSha256sum(`${'ab'.repeat(32)}  /tmp/depot.zip\n`)).toBe('ab'.repeat(32));
    expect(parseSha256sum("sha256sum: can't open '/tmp/x': No such file or directory\n")).toBeUndefined();
  });

  it("turns esxcli's error block (on stdout, one leading space per line) into one line", () => {
    const block = [' [MetadataDownloadError]', ' Could not download from depot at zip:/tmp/a.zip?index.xml, skipping', '        url = zip:/tmp/a.zip?index.xml', ' Please refer to the log file for more details.', ''].join('\n');
    expect(esxcliError(block)).toBe('[MetadataDownloadError] Could not download from depot at zip:/tmp/a.zip?index.xml, skipping');
    expect(esxcliError('System is not in maintenance mode. Cannot perform requested operation.\n')).toBe('System is not in maintenance mode. Cannot perform requested operation.');
  });
});
