// The esxi-ssh driver against simulated hosts that answer SSH as ESXi does (real agent
// processes, real SSH): identity and credentials first, then what ESXi refuses and how
// the driver reports it, then a stage, abandon and rollback read back from boot.cfg.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchFleet, type Fleet, type InventoryHost } from '../../../../tools/src/fleet/index';
import { createHostDriver } from '../create-host-driver';
import { HostAuthenticationError, HostKeyMismatchError, HostRefusedError } from '../errors';
import type { HostDriver, SshConnection } from '../host-driver';

const PASSWORD = 'vmware-Lab-1!';
const NEW_BUILD = '8.0.3-0.0.24022510';
let fleet: Fleet;
let dir: string;
const opened: HostDriver[] = [];

type SshHost = Extract<InventoryHost, { driver: 'esxi-ssh' }>;
const host = (index: number) => fleet.inventory[index] as SshHost;
function driverWith(index: number, connection: Partial<SshConnection>, keep: (keyof SshConnection)[] = ['user', 'hostKey']): HostDriver {
  const base = host(index);
  const kept = Object.fromEntries(keep.map((key) => [key, base.connection[key]]));
  const driver = createHostDriver({ ...base, connection: { ...kept, ...connection } as SshConnection });
  opened.push(driver);
  return driver;
}
const image = (build: string) => {
  const payload = Buffer.from(`ESXi ${build} image\n`.repeat(1024));
  return { build, payload, sha256: createHash('sha256').update(payload).digest('hex') };
};

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bankswitch-ssh-driver-'));
  fleet = await launchFleet({ dir, driver: 'esxi-ssh', sshPassword: PASSWORD, clusters: [{ name: 'sshd', hosts: 2 }], rebootMs: 100, baseBuild: '8.0.2-0.0.22380479', previousBuild: '8.0.1-0.0.21495797' });
});

afterAll(async () => {
  for (const driver of opened) driver.close?.();
  await fleet?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the esxi-ssh driver', () => {
  it('logs in with the key file, or a password from an environment variable or a file, and reads the banks as ESXi shows them', async () => {
    const byKey = await driverWith(0, {}, ['user', 'hostKey', 'keyFile']).getState();
    expect(byKey).toMatchObject({ hostId: 'sshd-esx01', bootedBank: 0, runningBuild: '8.0.2-0.0.22380479', maintenanceMode: false });
    expect(byKey.banks[1].bootCfg).toMatch(/^build=8\.0\.1-0\.0\.21495797$/m);
    // The boot id stays the same from one look to the next (ESXi's clock and uptime jitter: it is not taken from them).
    expect((await driverWith(0, {}, ['user', 'hostKey', 'keyFile']).getState()).bootId).toBe(byKey.bootId);

    process.env.BANKSWITCH_TEST_ESXI_PASSWORD = PASSWORD;
    expect((await driverWith(0, { passwordEnv: 'BANKSWITCH_TEST_ESXI_PASSWORD' }).getState()).bootId).toBe(byKey.bootId);
    const passwordFile = path.join(dir, 'esxi-password');
    fs.writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
    expect((await driverWith(0, { passwordFile }).getState()).bootId).toBe(byKey.bootId);
  });

  it('refuses a host whose key is not the pinned one, naming the host and both fingerprints, and sends it nothing', async () => {
    const wrong = driverWith(1, { hostKey: host(0).connection.hostKey }, ['user', 'keyFile']);
    const error = await wrong.getState().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostKeyMismatchError);
    expect(error).toMatchObject({ hostId: 'sshd-esx02', pinned: host(0).connection.hostKey, presented: host(1).connection.hostKey });
    expect((error as Error).message).toContain(host(1).connection.hostKey);
    expect((error as Error).message).toContain(host(0).connection.hostKey);
  });

  it('says which credentials were refused, and never shows the secret', async () => {
    const otherKey = path.join(dir, 'not-authorized');
    fs.writeFileSync(otherKey, ssh2.utils.generateKeyPairSync('ed25519').private, { mode: 0o600 });
    const byKey = await driverWith(0, { keyFile: otherKey }).getState().catch((e: unknown) => e);
    expect(byKey).toBeInstanceOf(HostAuthenticationError);
    expect((byKey as Error).message).toMatch(/sshd-esx01 .* refused the login .*check the user and the key file or password/);

    process.env.BANKSWITCH_TEST_WRONG_PASSWORD = 'not-the-password';
    const byPassword = await driverWith(0, { passwordEnv: 'BANKSWITCH_TEST_WRONG_PASSWORD' }).getState().catch((e: unknown) => e);
    expect(byPassword).toBeInstanceOf(HostAuthenticationError);
    expect((byPassword as Error).message).not.toContain('not-the-password');

    const unset = await driverWith(0, { passwordEnv: 'BANKSWITCH_TEST_UNSET_VARIABLE' }).getState().catch((e: unknown) => e);
    expect(unset).toBeInstanceOf(HostAuthenticationError);
    expect((unset as Error).message).toContain('the environment variable BANKSWITCH_TEST_UNSET_VARIABLE is not set');
  });

  it("passes on ESXi's refusals: a reboot outside maintenance mode, a depot whose digest does not match; nothing changes", async () => {
    const driver = driverWith(1, {}, ['user', 'hostKey', 'keyFile']);
    const before = await driver.getState();
    const reboot = await driver.reboot().catch((e: unknown) => e);
    expect(reboot).toBeInstanceOf(HostRefusedError);
    expect((reboot as Error).message).toMatch(/refused reboot \(reboot-refused\): System is not in maintenance mode\. Cannot perform requested operation\./);

    const bad = { ...image(NEW_BUILD), sha256: 'f'.repeat(64) };
    const stage = await driver.stageImage(bad).catch((e: unknown) => e);
    expect(stage).toBeInstanceOf(HostRefusedError);
    expect((stage as Error).message).toMatch(/has sha256 [0-9a-f]{64}, expected f{64}; nothing was staged/);
    const after = await driver.getState();
    expect(after.bootId).toBe(before.bootId);
    expect(after.banks).toEqual(before.banks);
    expect(after.incompleteStage).toBeNull();
    // The refused depot was removed from the host (on a datastore it would stay otherwise).
    const tmp = fs.readdirSync(path.join(dir, 'hosts', 'sshd-esx02', 'tmp'));
    expect(tmp.filter((name) => name.startsWith('bankswitch-depot'))).toEqual([]);
  });

  it('stages into /altbootbank (UPGRADING, updated one above), abandons it (INVALID), and after a reboot into a new image rolls back as Shift+R does', async () => {
    const driver = driverWith(0, {}, ['user', 'hostKey', 'keyFile']);
    const first = image(NEW_BUILD);
    const staged = await driver.stageImage(first);
    expect(staged).toMatchObject({ bank: 1, build: NEW_BUILD, updated: 3, imageSha256: first.sha256 });
    expect(staged.bootCfg).toMatch(/^bootstate=1$/m);
    expect((await driver.getState()).banks[1].imageSha256).toBe(first.sha256);
    expect(await driver.abandonStage()).toMatchObject({ bank: 1, build: NEW_BUILD, changed: true });
    expect((await driver.getState()).banks[1].bootCfg?.slice(0, 512)).toMatch(/^bootstate=3$/m);

    await driver.stageImage(first);
    await driver.setMaintenanceMode({ enable: true, timeoutMs: 10_000 });
    const { previousBootId } = await driver.reboot();
    const up = await driver.waitUntilUp({ afterBootId: previousBootId, timeoutMs: 20_000, pollMs: 50 });
    // ESXi marks the bank it booted VALID itself; commit waits for that and confirms it.
    expect(up).toMatchObject({ bootedBank: 1, runningBuild: NEW_BUILD, maintenanceMode: true });
    expect(await driver.commit({ bank: 1, build: NEW_BUILD })).toMatchObject({ bank: 1, build: NEW_BUILD, changed: false });
    expect((await driver.bootLog({ limit: 1 }))[0]?.lines.join('\n')).toMatch(/tag-boot-bank: updating bootstate: BOOT_STATE_DIRTY -> BOOT_STATE_VALID \(bank1\)/);

    await driver.rollBack();
    const back = await driver.waitUntilUp({ afterBootId: up.bootId, timeoutMs: 20_000, pollMs: 50 });
    expect(back).toMatchObject({ bootedBank: 0, runningBuild: '8.0.2-0.0.22380479' });
    expect(back.banks[1].bootCfg?.slice(0, 512)).toMatch(/^bootstate=3$/m);
    await driver.setMaintenanceMode({ enable: false });
    // Nothing is left to roll back to: refused before anything is written.
    await driver.setMaintenanceMode({ enable: true, timeoutMs: 10_000 });
    await expect(driver.rollBack()).rejects.toThrow(/No alternate hypervisor to roll back to: bank1 holds 8\.0\.3-0\.0\.24022510 \(INVALID\)/);
    await driver.setMaintenanceMode({ enable: false });
  });
});
