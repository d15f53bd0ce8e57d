// The esxi-ssh driver against a real OpenSSH server (Debian's sshd, installed by
// tools/scripts/ensure-system-packages.sh), on a loopback port, whose ForceCommand runs
// each command in a simulated host's ESXi shell: the handshake, the host key pinned as
// `ssh-keygen -l` prints it, public-key login, stdin and exit statuses are OpenSSH's own.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchFleet, type Fleet } from '../../../../tools/src/fleet/index';
import { freeLoopbackPort } from '../../../../tools/src/local-stack/index';
import { createHostDriver } from '../create-host-driver';
import { HostAuthenticationError, HostKeyMismatchError, HostRefusedError } from '../errors';
import type { HostDriver, SshConnection } from '../host-driver';

const SSHD = '/usr/sbin/sshd';
const BRIDGE = fileURLToPath(new URL('../../../../tools/scripts/esxi-shell-bridge.mjs', import.meta.url));
let fleet: Fleet;
let dir: string;
let sshd: ChildProcess | undefined;
let address: string;
/** The server's key fingerprint as OpenSSH's own ssh-keygen prints it. */
let fingerprint: string;
const drivers: HostDriver[] = [];

function driver(connection: Partial<SshConnection> = {}): HostDriver {
  const made = createHostDriver({
    id: 'real-esx01',
    name: 'esx01.real.sim.local',
    address,
    driver: 'esxi-ssh',
    connection: { user: 'root', hostKey: fingerprint, keyFile: path.join(dir, 'fleet', 'id_ed25519'), ...connection },
  });
  drivers.push(made);
  return made;
}

async function startSshd(port: number, forceCommand: string): Promise<ChildProcess> {
  if (!fs.existsSync(SSHD)) throw new Error(`${SSHD} is missing: run \`bash tools/scripts/ensure-system-packages.sh\` (npm run test:all does)`);
  execFileSync('ssh-keygen', ['-q', '-t', 'ecdsa', '-N', '', '-f', path.join(dir, 'ssh_host_ecdsa_key')]);
  fs.copyFileSync(path.join(dir, 'fleet', 'id_ed25519.pub'), path.join(dir, 'authorized_keys'));
  fs.mkdirSync('/run/sshd', { recursive: true });
  const config = path.join(dir, 'sshd_config');
  fs.writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${path.join(dir, 'ssh_host_ecdsa_key')}`,
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
      'UsePAM no',
      'StrictModes no',
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      `ForceCommand ${forceCommand}`,
      'LogLevel VERBOSE',
      '',
    ].join('\n'),
  );
  const child = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  const log: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sshd did not start listening: ${log.join('')}`)), 10_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      log.push(chunk.toString());
      if (log.join('').includes('Server listening on 127.0.0.1')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`sshd exited ${code}: ${log.join('')}`)));
  });
  return child;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bankswitch-openssh-'));
  fleet = await launchFleet({ dir: path.join(dir, 'fleet'), driver: 'esxi-ssh', clusters: [{ name: 'real', hosts: 1 }], rebootMs: 100, baseBuild: '8.0.2-0.0.22380479', previousBuild: '8.0.1-0.0.21495797' });
  const port = await freeLoopbackPort();
  sshd = await startSshd(port, `${process.execPath} ${BRIDGE} ${fleet.agents[0]!.adminAddress} real-esx01`);
  address = `ssh://127.0.0.1:${port}`;
  fingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', path.join(dir, 'ssh_host_ecdsa_key.pub')], { encoding: 'utf8' }).split(' ')[1]!;
}, 60_000);

afterAll(async () => {
  for (const made of drivers) made.close?.();
  sshd?.kill('SIGTERM');
  await fleet?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the esxi-ssh driver against a real OpenSSH server', () => {
  it("pins the host key by the fingerprint OpenSSH's ssh-keygen prints, and reads the host through sshd", async () => {
    expect(fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    const state = await driver().getState();
    expect(state).toMatchObject({ hostId: 'real-esx01', bootedBank: 0, runningBuild: '8.0.2-0.0.22380479', maintenanceMode: false });
    expect(state.banks[1].bootCfg).toMatch(/^build=8\.0\.1-0\.0\.21495797$/m);
  });

  it('refuses a server whose key is not the pinned one, naming both fingerprints', async () => {
    const other = `SHA256:${createHash('sha256').update('another host').digest('base64').replace(/=+$/, '')}`;
    const error = await driver({ hostKey: other }).getState().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostKeyMismatchError);
    expect(error).toMatchObject({ pinned: other, presented: fingerprint });
  });

  it('says the login was refused when sshd does not accept the key', async () => {
    const unknown = path.join(dir, 'unknown-key');
    fs.writeFileSync(unknown, ssh2.utils.generateKeyPairSync('ed25519').private, { mode: 0o600 });
    const error = await driver({ keyFile: unknown }).getState().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostAuthenticationError);
    expect((error as Error).message).toMatch(/real-esx01 .* refused the login/);
  });

  it("carries ESXi's exit statuses and stdin through sshd: a refused reboot, then a depot staged into /altbootbank and abandoned", async () => {
    const host = driver();
    const refused = await host.reboot().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(HostRefusedError);
    expect((refused as Error).message).toContain('System is not in maintenance mode. Cannot perform requested operation.');

    const payload = Buffer.from('ESXi 8.0.3-0.0.24022510 image\n'.repeat(2048));
    const sha256 = createHash('sha256').update(payload).digest('hex');
    const staged = await host.stageImage({ build: '8.0.3-0.0.24022510', payload, sha256 });
    expect(staged).toMatchObject({ bank: 1, build: '8.0.3-0.0.24022510', updated: 3, imageSha256: sha256 });
    expect((await host.getState()).banks[1].bootCfg).toMatch(/^bootstate=1$/m);
    expect(await host.abandonStage()).toMatchObject({ bank: 1, changed: true });
    expect((await host.getState()).banks[1].bootCfg?.slice(0, 512)).toMatch(/^bootstate=3$/m);
    // About twenty commands, each starting a node bridge behind sshd: seconds apiece on a
    // busy 2-core machine (it timed out at 30 s under a load of 13).
  }, 120_000);
});
