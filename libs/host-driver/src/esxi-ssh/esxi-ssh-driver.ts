// HostDriver for real ESXi hosts: ESXi's own commands over SSH (esxcli, the BusyBox
// shell), one connection per host. docs/esxi-ssh.md maps every operation to the
// commands it runs, what it reads back, and what is certain about each ESXi version.
import { randomUUID } from 'node:crypto';
import { formatBootCfg, hostBanksFromBootCfgs, parseBootCfg, setBootCfgValue, type BankIndex } from '@bankswitch/banks';
import { HostFailedError, HostRefusedError, HostUnreachableError, MalformedHostResponseError, type HostRef } from '../errors';
import type { CallOptions, HostDriver, SshConnection, StageImageInput, WaitUntilUpOptions } from '../host-driver';
import { waitUntilUp } from '../wait-until-up';
import type {
  AbandonStageResult,
  BootLogEntry,
  CommitRequest,
  CommitResult,
  HealthReport,
  HostState,
  MaintenanceModeRequest,
  MaintenanceModeResult,
  RebootAccepted,
  StageResult,
} from '../wire';
import { esxcliError, parseKeyValues, parseSha256sum, parseTable, parseVersion } from './esxi-output';
import { SshSession, type ExecResult } from './ssh-session';

export interface EsxiSshDriverOptions {
  readonly timeoutMs?: number;
  /** How long ESXi may take to mark a freshly booted bank VALID itself before commit gives up. */
  readonly commitWaitMs?: number;
  readonly pollMs?: number;
}

/** Where the driver keeps its own notes on the host: /tmp (gone at the next boot, which is when they stop mattering). */
const STAGING_NOTE = '/tmp/bankswitch-staging.json';
/**
 * The boot's identity: a symlink made in /tmp (a ramdisk, empty after every boot) by the
 * first look at the host after it booted. `ln -s` fails when it exists, so two drivers
 * looking at once agree on one. (The boot time from `date` and the uptime jitters by a
 * second: not an identity.)
 */
const BOOT_MARK = '/tmp/bankswitch-boot-id';
const STAGED_NOTE = '/tmp/bankswitch-staged.json';
const depotPath = (dir: string, sha256: string) => `${dir.replace(/\/+$/, '')}/bankswitch-depot-${sha256.slice(0, 16)}.zip`;
/** How long a maintenance mode `set` that exited 0 may take to show in `get`. */
const MAINTENANCE_SETTLE_MS = 60_000;
/** esxcli takes seconds on a busy or freshly booted host: no command is given less. */
const COMMAND_FLOOR_MS = 15_000;
const ESXI_HINT = 'Check that the address points at an ESXi host (7.0 or later) and that the inventory names the esxi-ssh driver for it.';
const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

interface Banks {
  /** The UUIDs of the two boot bank volumes: bank 0 is BOOTBANK1, bank 1 BOOTBANK2. */
  readonly uuids: readonly [string, string];
  readonly booted: BankIndex;
}

export class EsxiSshDriver implements HostDriver {
  private readonly session: SshSession;
  private readonly timeoutMs: number;
  private readonly commitWaitMs: number;
  private readonly pollMs: number;
  private readonly depotDir: string;

  constructor(
    readonly host: HostRef,
    connection: SshConnection,
    options: EsxiSshDriverOptions = {},
  ) {
    const url = new URL(host.address.includes('://') ? host.address : `ssh://${host.address}`);
    this.session = new SshSession(host, connection, { hostname: url.hostname, port: Number(url.port || 22) });
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.commitWaitMs = options.commitWaitMs ?? 60_000;
    this.pollMs = options.pollMs ?? 500;
    this.depotDir = connection.depotDir ?? '/tmp';
  }

  async getState(options?: CallOptions): Promise<HostState> {
    const timeoutMs = options?.timeoutMs ?? this.timeoutMs;
    const clock = await this.run('getState', 'date -u +%s', timeoutMs);
    const uptime = await this.run('getState', 'esxcli system stats uptime get', timeoutMs);
    const banks = await this.banks('getState', timeoutMs);
    const cfgs = [await this.readFile('getState', `/vmfs/volumes/${banks.uuids[0]}/boot.cfg`, timeoutMs), await this.readFile('getState', `/vmfs/volumes/${banks.uuids[1]}/boot.cfg`, timeoutMs)] as const;
    const maintenance = (await this.run('getState', 'esxcli system maintenanceMode get', timeoutMs)).stdout.trim() === 'Enabled';
    const bootMark = (await this.run('getState', `ln -s ${randomUUID()} ${BOOT_MARK}; readlink ${BOOT_MARK}`, timeoutMs)).stdout.trim();
    if (!/^[0-9a-f-]{36}$/.test(bootMark)) throw new MalformedHostResponseError(this.host, 'getState', 0, [`${BOOT_MARK} reads "${bootMark.slice(0, 80)}", not a boot id`], ESXI_HINT);
    const now = Number(clock.stdout.trim());
    const uptimeMicros = Number(uptime.stdout.trim());
    if (!Number.isFinite(now) || !Number.isFinite(uptimeMicros)) {
      throw new MalformedHostResponseError(this.host, 'getState', 0, [`date/uptime did not read as numbers: "${clock.stdout.trim()}", "${uptime.stdout.trim()}"`], ESXI_HINT);
    }
    // Boot time from the host's clock and uptime, rounded: they are read a moment apart (for display only).
    const bootedAt = Math.round(now - uptimeMicros / 1e6);
    const runningBuild = buildOf(cfgs[banks.booted]);
    if (runningBuild === null) throw new MalformedHostResponseError(this.host, 'getState', 0, [`the booted bank's boot.cfg (${banks.uuids[banks.booted]}) names no build`], ESXI_HINT);
    const notes = await this.stagingNotes(timeoutMs);
    const other: BankIndex = banks.booted === 0 ? 1 : 0;
    const stagedHere = notes.staged && notes.staged.uuid === banks.uuids[other] && notes.staged.build === buildOf(cfgs[other]) ? notes.staged.sha256 : null;
    return {
      hostId: this.host.id,
      name: this.host.name,
      bootId: `boot-${bootMark}`,
      bootedAt: new Date(bootedAt * 1000).toISOString(),
      uptimeMs: Math.round(uptimeMicros / 1000),
      bootedBank: banks.booted,
      runningBuild,
      banks: [
        { bank: 0, bootCfg: cfgs[0], imageSha256: other === 0 ? stagedHere : null },
        { bank: 1, bootCfg: cfgs[1], imageSha256: other === 1 ? stagedHere : null },
      ],
      incompleteStage: notes.staging && !notes.staged ? { bank: other, build: notes.staging.build, startedAt: notes.staging.startedAt } : null,
      maintenanceMode: maintenance,
    };
  }

  /**
   * Uploads the depot (to `depotDir`, /tmp by default), checks its sha256 there, then
   * `esxcli software profile update` from it (the one profile it holds, or the
   * "-standard" one), which writes the new image into /altbootbank as UPGRADING with
   * `updated` one above the booted bank's; checks that it did, and removes the depot.
   */
  async stageImage(image: StageImageInput, options?: CallOptions): Promise<StageResult> {
    const timeoutMs = options?.timeoutMs ?? 10 * 60_000;
    const path = depotPath(this.depotDir, image.sha256);
    const banks = await this.banks('stageImage', this.timeoutMs);
    const other: BankIndex = banks.booted === 0 ? 1 : 0;
    // A refusal leaves nothing behind: no depot (on a datastore it would stay), no note of a stage that did not happen.
    const refuse = async (code: string, reason: string): Promise<never> => {
      await this.exec('stageImage', `rm -f ${path} ${STAGING_NOTE}`, this.timeoutMs).catch(() => undefined);
      throw new HostRefusedError(this.host, 'stageImage', 0, code, reason);
    };
    await this.run('stageImage', `cat > ${path}`, timeoutMs, image.payload);
    const digest = parseSha256sum((await this.run('stageImage', `sha256sum ${path}`, timeoutMs)).stdout);
    if (digest !== image.sha256) await refuse('digest-mismatch', `the depot copied to ${path} has sha256 ${digest ?? '(unreadable)'}, expected ${image.sha256}; nothing was staged`);
    const profiles = parseTable((await this.run('stageImage', `esxcli software sources profile list -d ${path}`, timeoutMs)).stdout).map((row) => row.Name ?? '');
    const profile = profiles.length === 1 ? profiles[0] : profiles.find((name) => name.endsWith('-standard'));
    if (!profile) return refuse('no-profile', `the depot holds profiles ${profiles.join(', ') || '(none)'}; expected one, or one ending in -standard`);
    const note = JSON.stringify({ uuid: banks.uuids[other], build: image.build, sha256: image.sha256, startedAt: new Date().toISOString() });
    await this.run('stageImage', `rm -f ${STAGED_NOTE}; cat > ${STAGING_NOTE}`, this.timeoutMs, Buffer.from(note));
    const update = await this.exec('stageImage', `esxcli software profile update -d ${path} -p ${quote(profile)}`, timeoutMs);
    if (update.code !== 0) await refuse('esxcli', esxcliError(update.stdout + update.stderr));
    const result = parseKeyValues(update.stdout);
    if (result['Reboot Required'] !== 'true') await refuse('esxcli', `esxcli staged nothing that needs a reboot: ${result.Message ?? update.stdout.trim()}`);
    // What esxcli wrote must be the build asked for, waiting for its first boot (after an abandon, esxcli may answer "Reboot is pending" and write nothing).
    const bootCfg = await this.readFile('stageImage', `/vmfs/volumes/${banks.uuids[other]}/boot.cfg`, this.timeoutMs);
    const cfg = bootCfg === null ? undefined : parseBootCfg(bootCfg);
    if (cfg?.build !== image.build || cfg.bootstate !== 1) {
      await refuse('not-staged', `after esxcli, /altbootbank holds ${cfg?.build ?? 'no readable boot.cfg'} (bootstate ${cfg?.bootstate ?? '?'}), not ${image.build} waiting for its first boot (bootstate 1): ${result.Message ?? 'no message'}`);
    }
    // The image is in /altbootbank now; a depot on a datastore would stay there otherwise.
    await this.run('stageImage', `mv ${STAGING_NOTE} ${STAGED_NOTE}; rm -f ${path}`, this.timeoutMs);
    return { bank: other, build: image.build, updated: cfg?.updated ?? 0, imageSha256: image.sha256, bootCfg: bootCfg ?? '' };
  }

  /** `esxcli system shutdown reboot`, which ESXi refuses outside maintenance mode. */
  async reboot(options?: CallOptions): Promise<RebootAccepted> {
    const before = await this.getState(options);
    await this.rebootNow('reboot', 'Bankswitch: boot the staged image');
    return { previousBootId: before.bootId, shiftR: false };
  }

  /**
   * ESXi marks the bank it booted VALID itself, early in its boot; the driver waits until
   * /bootbank/boot.cfg says so and confirms the bank and build it was asked about.
   */
  async commit(expect: CommitRequest = {}, options?: CallOptions): Promise<CommitResult> {
    const deadline = Date.now() + (options?.timeoutMs ?? this.commitWaitMs);
    for (;;) {
      const state = await this.getState();
      if (expect.bank !== undefined && expect.bank !== state.bootedBank) {
        throw new HostRefusedError(this.host, 'commit', 0, 'bank-not-booted', `bank${expect.bank} did not boot: host ${this.host.id} runs ${state.runningBuild} from bank${state.bootedBank}`);
      }
      if (expect.build !== undefined && expect.build !== state.runningBuild) {
        throw new HostRefusedError(this.host, 'commit', 0, 'build-not-running', `build ${expect.build} did not boot: host ${this.host.id} runs ${state.runningBuild}`);
      }
      const bootCfg = state.banks[state.bootedBank].bootCfg ?? '';
      if (bootStateOf(bootCfg) === 0) return { bank: state.bootedBank, build: state.runningBuild, changed: false, bootCfg };
      if (Date.now() >= deadline) {
        throw new HostRefusedError(this.host, 'commit', 0, 'not-committed', `ESXi has not marked bank${state.bootedBank} VALID (bootstate=${bootStateOf(bootCfg) ?? '?'}) since it booted: check /var/log/jumpstart-stdout.log on the host`);
      }
      await new Promise((resolve) => setTimeout(resolve, this.pollMs));
    }
  }

  /** Marks a staged, never-booted image in /altbootbank INVALID (bootstate=3, within the first 512 bytes, written atomically). */
  async abandonStage(options?: CallOptions): Promise<AbandonStageResult> {
    const timeoutMs = options?.timeoutMs ?? this.timeoutMs;
    const banks = await this.banks('abandonStage', timeoutMs);
    const other: BankIndex = banks.booted === 0 ? 1 : 0;
    const path = `/vmfs/volumes/${banks.uuids[other]}/boot.cfg`;
    const text = await this.readFile('abandonStage', path, timeoutMs);
    const build = text === null ? null : buildOf(text);
    if (text === null || bootStateOf(text) !== 1) return { bank: other, build, changed: false };
    await this.writeBootState('abandonStage', path, text, 3, timeoutMs);
    await this.run('abandonStage', `rm -f ${STAGED_NOTE} ${STAGING_NOTE}`, timeoutMs);
    return { bank: other, build, changed: true };
  }

  /**
   * What Shift+R does: the booted bank marked INVALID (bootstate=3 in /bootbank/boot.cfg),
   * then a reboot into the other one. Checked first: the other bank must hold a VALID
   * image, and the host must be in maintenance mode (ESXi refuses to reboot otherwise),
   * so the booted bank is never invalidated for a reboot that does not happen.
   */
  async rollBack(options?: CallOptions): Promise<RebootAccepted> {
    const state = await this.getState(options);
    const banks = hostBanksFromBootCfgs(state.banks[0].bootCfg, state.banks[1].bootCfg, state.bootedBank);
    const other: BankIndex = state.bootedBank === 0 ? 1 : 0;
    const alternate = banks.banks[other];
    if (alternate.bootstate !== 'VALID' || alternate.build === null) {
      throw new HostRefusedError(this.host, 'rollBack', 0, 'no-alternate', `No alternate hypervisor to roll back to: bank${other} holds ${alternate.build ?? 'nothing'} (${alternate.bootstate})`);
    }
    if (!state.maintenanceMode) {
      throw new HostRefusedError(this.host, 'rollBack', 0, 'not-in-maintenance-mode', 'System is not in maintenance mode. Cannot perform requested operation. (Nothing was changed: put the host in maintenance mode first.)');
    }
    const uuids = await this.banks('rollBack', this.timeoutMs);
    const booted = `/vmfs/volumes/${uuids.uuids[state.bootedBank]}/boot.cfg`;
    const text = state.banks[state.bootedBank].bootCfg ?? '';
    await this.writeBootState('rollBack', booted, text, 3, this.timeoutMs);
    try {
      await this.rebootNow('rollBack', 'Bankswitch: roll back to the previous image');
    } catch (error) {
      // No reboot was sent: the running bank must not stay INVALID.
      await this.writeBootState('rollBack', booted, text, bootStateOf(text) ?? 0, this.timeoutMs).catch(() => undefined);
      throw error;
    }
    return { previousBootId: state.bootId, shiftR: true };
  }

  async setMaintenanceMode(request: MaintenanceModeRequest, options?: CallOptions): Promise<MaintenanceModeResult> {
    const timeoutS = Math.max(1, Math.round((request.timeoutMs ?? 30 * 60_000) / 1000));
    const was = (await this.run('setMaintenanceMode', 'esxcli system maintenanceMode get', this.timeoutMs)).stdout.trim() === 'Enabled';
    if (was === request.enable) return { enabled: was, changed: false };
    const command = request.enable
      ? `esxcli system maintenanceMode set --enable true --timeout ${timeoutS} --vsanmode ${request.vsanMode ?? 'ensureObjectAccessibility'}`
      : 'esxcli system maintenanceMode set --enable false';
    const answer = await this.exec('setMaintenanceMode', command, options?.timeoutMs ?? (timeoutS + 30) * 1000);
    const read = async () => (await this.run('setMaintenanceMode', 'esxcli system maintenanceMode get', this.timeoutMs)).stdout.trim() === 'Enabled';
    let now = await read();
    // Whether `set` returns before the host is there is not documented: after a `set` that exited 0, give it a minute to show.
    for (let waited = 0; now !== request.enable && answer.code === 0 && waited < MAINTENANCE_SETTLE_MS; waited += this.pollMs) {
      await new Promise((resolve) => setTimeout(resolve, this.pollMs));
      now = await read();
    }
    if (now !== request.enable) {
      const why = esxcliError(answer.stdout + answer.stderr) || `exit ${answer.code}`;
      throw new HostRefusedError(this.host, 'setMaintenanceMode', 0, request.enable ? 'maintenance-refused' : 'maintenance-exit-refused', `host ${this.host.id} did not ${request.enable ? 'enter' : 'leave'} maintenance mode: ${why}`);
    }
    return { enabled: now, changed: true };
  }

  /** `vmkernel`: esxcli answers; `hostd`: `/etc/init.d/hostd status`. */
  async health(options?: CallOptions): Promise<HealthReport> {
    const timeoutMs = options?.timeoutMs ?? this.timeoutMs;
    const version = await this.exec('health', 'esxcli system version get', timeoutMs);
    const parsed = parseVersion(version.stdout);
    const hostd = await this.exec('health', '/etc/init.d/hostd status', timeoutMs);
    const checks = [
      { name: 'vmkernel', ok: version.code === 0 && parsed !== undefined, detail: parsed ? `ESXi ${parsed.version} build ${parsed.buildNumber}` : esxcliError(version.stdout + version.stderr) },
      { name: 'hostd', ok: hostd.code === 0, detail: (hostd.stdout + hostd.stderr).trim() || `exit ${hostd.code}` },
    ];
    return { ok: checks.every((c) => c.ok), checks };
  }

  /** The end of vmkernel.log, as one entry for the boot that runs now. */
  async bootLog(options?: CallOptions & { limit?: number }): Promise<BootLogEntry[]> {
    const state = await this.getState(options);
    const log = await this.exec('bootLog', `tail -n ${Math.min(options?.limit ?? 20, 50) * 10} /var/log/vmkernel.log`, options?.timeoutMs ?? this.timeoutMs);
    return [
      {
        at: state.bootedAt,
        bootId: state.bootId,
        bank: state.bootedBank,
        build: state.runningBuild,
        shiftR: false,
        outcome: 'up',
        lines: log.stdout.split(/\r?\n/).filter((line) => line !== ''),
      },
    ];
  }

  waitUntilUp(options: WaitUntilUpOptions): Promise<HostState> {
    return waitUntilUp(this, options, this.timeoutMs);
  }

  /** Closes the SSH connection (the worker's drivers live as long as it does). */
  close(): void {
    this.session.close();
  }

  /** Which volume is which bank, and which one booted. */
  private async banks(operation: string, timeoutMs: number): Promise<Banks> {
    const table = parseTable((await this.run(operation, 'esxcli storage filesystem list', timeoutMs)).stdout);
    const uuidOf = (label: string) => table.find((row) => row['Volume Name'] === label)?.UUID;
    const uuids = [uuidOf('BOOTBANK1'), uuidOf('BOOTBANK2')] as const;
    if (!uuids[0] || !uuids[1]) throw new MalformedHostResponseError(this.host, operation, 0, ['esxcli storage filesystem list shows no BOOTBANK1 and BOOTBANK2 volumes'], ESXI_HINT);
    const bootbank = (await this.run(operation, 'readlink /bootbank', timeoutMs)).stdout.trim();
    const booted = bootbank.endsWith(uuids[0]) ? 0 : bootbank.endsWith(uuids[1]) ? 1 : undefined;
    if (booted === undefined) {
      throw new MalformedHostResponseError(this.host, operation, 0, [`/bootbank points at ${bootbank || '(nothing)'}, not at a boot bank volume: the boot device may be lost (the host booted from a copy in memory)`], ESXI_HINT);
    }
    return { uuids: [uuids[0], uuids[1]], booted };
  }

  private async stagingNotes(timeoutMs: number): Promise<{ staging?: { build: string; startedAt: string }; staged?: { uuid: string; build: string; sha256: string } }> {
    const read = async (path: string) => {
      const text = await this.readFile('getState', path, timeoutMs);
      try {
        return text === null ? undefined : (JSON.parse(text) as Record<string, string>);
      } catch {
        return undefined;
      }
    };
    const staging = await read(STAGING_NOTE);
    const staged = await read(STAGED_NOTE);
    return {
      ...(staging?.build && staging.startedAt ? { staging: { build: staging.build, startedAt: staging.startedAt } } : {}),
      ...(staged?.uuid && staged.build && staged.sha256 ? { staged: { uuid: staged.uuid, build: staged.build, sha256: staged.sha256 } } : {}),
    };
  }

  /** bootstate within the first 512 bytes, as the loader reads it; written to a temporary file and moved over, then synced. */
  private async writeBootState(operation: string, path: string, text: string, bootstate: number, timeoutMs: number): Promise<void> {
    const updated = formatBootCfg(setBootCfgValue(parseBootCfg(text), 'bootstate', String(bootstate)));
    await this.run(operation, `cat > ${path}.bankswitch && mv ${path}.bankswitch ${path} && sync`, timeoutMs, Buffer.from(updated));
  }

  private async rebootNow(operation: string, reason: string): Promise<void> {
    const answer = await this.exec(operation, `esxcli system shutdown reboot --reason ${quote(reason)}`, this.timeoutMs).catch((error: unknown) => {
      // The host may close the connection as it goes down: the reboot is under way. A
      // connection refused, or a channel that never opened, sent nothing: not a reboot.
      if (error instanceof HostUnreachableError && error.reason !== 'refused' && error.reason !== 'reset') return { stdout: '', stderr: '', code: null };
      throw error;
    });
    if (answer.code !== 0 && answer.code !== null) {
      throw new HostRefusedError(this.host, operation, 0, 'reboot-refused', esxcliError(answer.stdout + answer.stderr));
    }
    this.session.close();
  }

  private async readFile(operation: string, path: string, timeoutMs: number): Promise<string | null> {
    const answer = await this.exec(operation, `cat ${path}`, timeoutMs);
    return answer.code === 0 ? answer.stdout : null;
  }

  /** A command that must succeed. */
  private async run(operation: string, command: string, timeoutMs: number, stdin?: Uint8Array): Promise<ExecResult> {
    const answer = await this.exec(operation, command, timeoutMs, stdin);
    if (answer.code !== 0) {
      throw new HostFailedError(this.host, operation, answer.code ?? -1, `\`${command}\` failed: ${esxcliError(answer.stdout + answer.stderr) || `exit ${answer.code ?? 'without status'}`}`);
    }
    return answer;
  }

  /** One command; a caller's tighter bound (2 s while polling a reboot) is raised to COMMAND_FLOOR_MS. */
  private exec(operation: string, command: string, timeoutMs: number, stdin?: Uint8Array): Promise<ExecResult> {
    return this.session.exec(operation, command, { timeoutMs: Math.max(timeoutMs, COMMAND_FLOOR_MS), ...(stdin ? { stdin } : {}) });
  }
}

function bootStateOf(text: string | null): number | undefined {
  if (text === null) return undefined;
  try {
    return parseBootCfg(text).bootstate;
  } catch {
    return undefined;
  }
}

function buildOf(text: string | null): string | null {
  if (text === null) return null;
  try {
    return parseBootCfg(text).build ?? null;
  } catch {
    return null;
  }
}
