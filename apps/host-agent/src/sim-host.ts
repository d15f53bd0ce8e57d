// One simulated ESXi host: boots its banks with the real loader rules, serves its API on
// its own loopback port while up, and closes that port while rebooting or hung.
import { randomUUID, createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import fs from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import { runBootLoader } from '@bankswitch/banks';
import type { AbandonStageResult, BankIndex, BootLogEntry, BootOutcome, CommitRequest, CommitResult, HealthReport, HostState, StageResult } from '@bankswitch/host-driver';
import { IMAGE_FILE, cfgUpdated, cfgValue, installedBootCfg, isValidBank, withCfgValue } from './boot-cfg-text';
import { effectiveFaults, takeDrop, type Faults } from './faults';
import {
  appendBootLog,
  bankDir,
  clearIncompleteStage,
  imageDigest,
  linkBanks,
  partialImagePath,
  readBootCfg,
  readBootLog,
  readHostFile,
  readIncompleteStage,
  writeBootCfg,
  writeHostFile,
  writeIncompleteStage,
  type HostFile,
} from './host-disk';
import type { HostApi, HostListener } from './host-api';
import { Refusal } from './refusal';
import { ensureSshHostKey } from './ssh-host-key';
import { startSshServer, type RunningSshServer, type SshAccess } from './ssh-server';

export type HostStatus = 'off' | 'up' | 'rebooting' | 'hung' | 'no-bootable-bank';

export interface SimHostOptions {
  readonly dir: string;
  readonly rebootMs: number;
  readonly log: Logger;
  /** Serves the host's HTTP API on its port (a fresh listener each boot). */
  readonly api: HostApi;
  /** Serve SSH too, answering as ESXi's shell does (esxi-ssh driver). */
  readonly ssh?: Omit<SshAccess, 'hostKey'>;
  /** Boot as ESXi does: the bank that booted is marked VALID during the boot (its tag-boot-bank step). */
  readonly commitAtBoot?: boolean;
}

const other = (bank: BankIndex): BankIndex => (bank === 0 ? 1 : 0);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class SimHost {
  status: HostStatus = 'off';
  private file: HostFile;
  private booted: { bank: BankIndex; build: string; bootId: string; at: Date } | null = null;
  private server: HostListener | null = null;
  private sshServer: RunningSshServer | null = null;
  private timer: NodeJS.Timeout | null = null;
  private staging = false;
  private generation = 0;

  private constructor(
    private readonly options: SimHostOptions,
    file: HostFile,
  ) {
    this.file = file;
  }

  static async open(options: SimHostOptions): Promise<SimHost> {
    return new SimHost(options, await readHostFile(options.dir));
  }

  get id(): string {
    return this.file.hostId;
  }
  get name(): string {
    return this.file.name;
  }
  get port(): number {
    return this.file.port;
  }
  get dir(): string {
    return this.options.dir;
  }
  get sshPort(): number {
    return this.file.sshPort;
  }
  get summary() {
    return {
      hostId: this.id,
      name: this.name,
      port: this.port,
      status: this.status,
      bootedBank: this.booted?.bank ?? null,
      runningBuild: this.booted?.build ?? null,
      bootId: this.booted?.bootId ?? null,
      faults: this.file.faults,
    };
  }

  private faultsNow(build: string | null = this.booted?.build ?? null): Faults {
    return effectiveFaults(this.file.faults, this.file.buildFaults, build);
  }

  async setFaults(faults: Faults): Promise<void> {
    this.file = { ...this.file, faults };
    await writeHostFile(this.options.dir, this.file);
  }

  async setBuildFaults(build: string, faults: Faults): Promise<void> {
    this.file = { ...this.file, buildFaults: { ...this.file.buildFaults, [build]: faults } };
    await writeHostFile(this.options.dir, this.file);
  }

  /** Called for every request: whether the dropConnections fault eats this one. */
  takeDrop(): boolean {
    if (!this.file.faults.dropConnections) {
      // A build's fault has no counter to keep: only its probability applies.
      const probability = this.faultsNow().dropConnections?.probability;
      return probability !== undefined && Math.random() < probability;
    }
    const { drop, faults } = takeDrop(this.file.faults, Math.random());
    if (faults !== this.file.faults) {
      this.file = { ...this.file, faults };
      void writeHostFile(this.options.dir, this.file).catch((error: unknown) => this.options.log.error({ err: error }, 'saving faults'));
    }
    return drop;
  }

  /** Power on (agent start): runs the loader over the banks on disk right away. */
  powerOn(): Promise<void> {
    return this.boot(false);
  }

  /** Hard reset, e.g. of a hung host: whatever it was doing, it boots again after the reboot time. */
  async powerCycle(shiftR = false): Promise<void> {
    this.generation++;
    if (this.timer) clearTimeout(this.timer);
    await this.goDown();
    this.scheduleBoot(shiftR, this.options.rebootMs);
  }

  /** Graceful reboot: the listener closes now, and the host boots after the reboot time. */
  async reboot(shiftR: boolean): Promise<void> {
    const extra = this.faultsNow().slowRebootMs ?? 0;
    this.generation++;
    await this.goDown();
    this.scheduleBoot(shiftR, this.options.rebootMs + extra);
  }

  async shutdown(): Promise<void> {
    this.generation++;
    if (this.timer) clearTimeout(this.timer);
    await this.goDown();
    this.status = 'off';
  }

  private async goDown(): Promise<void> {
    this.status = 'rebooting';
    this.booted = null;
    const server = this.server;
    this.server = null;
    const ssh = this.sshServer;
    this.sshServer = null;
    if (server) await server.close();
    if (ssh) await ssh.close();
  }

  private scheduleBoot(shiftR: boolean, delayMs: number): void {
    const generation = this.generation;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (generation !== this.generation) return;
      this.boot(shiftR).catch((error: unknown) => this.options.log.error({ err: error, hostId: this.id }, 'boot failed'));
    }, delayMs);
  }

  private async boot(shiftR: boolean): Promise<void> {
    const generation = this.generation;
    const dir = this.options.dir;
    const before: [string | null, string | null] = [await readBootCfg(dir, 0), await readBootCfg(dir, 1)];
    const result = runBootLoader(before[0], before[1], { shiftR });
    const after: [string | null, string | null] = [result.bank0, result.bank1];
    for (const bank of [0, 1] as const) {
      const text = after[bank];
      if (text !== null && text !== before[bank]) await writeBootCfg(dir, bank, text);
    }
    const lines = result.messages.map((message) => `safeboot: ${message}`);
    const entry = (outcome: BootOutcome, bank: BankIndex | null, build: string | null, bootId: string | null): BootLogEntry => ({
      at: new Date().toISOString(),
      bootId,
      bank,
      build,
      shiftR,
      outcome,
      lines,
    });

    if (result.boots === null) {
      lines.push('No hypervisor found. The host stays at the loader until it is power-cycled.');
      await appendBootLog(dir, entry('no-bootable-bank', null, null, null));
      this.status = 'no-bootable-bank';
      return;
    }
    const bank = result.boots;
    const cfg = after[bank];
    const build = cfgValue(cfg, 'build') ?? '';
    const firstBoot = cfgValue(cfg, 'bootstate') === '2';
    const faults = this.faultsNow(build);
    lines.push(`vmkernel: Loading /bootbank/b.b00 from bank${bank} (build ${build}${firstBoot ? ', first boot' : ''})`);

    if (firstBoot && faults.failBoot) {
      lines.push(
        `vmkernel: cpu0:2097152)@BlueScreen: #PF Exception 14 in world 2097152:init IP 0x41802b1c0e5d (fault failBoot, build ${build})`,
        'vmkernel: Coredump to disk. Rebooting automatically.',
      );
      await appendBootLog(dir, entry('panic', bank, build, null));
      this.status = 'rebooting';
      // The panic reboots the host; that boot finds the bank DIRTY and falls back.
      if (generation === this.generation) this.scheduleBoot(false, this.options.rebootMs);
      return;
    }
    if (firstBoot && faults.hangOnBoot) {
      lines.push(`vmkernel: Loading module vmkapi_v2_3_0_0_mgmt_shim ... (fault hangOnBoot, build ${build}: no further output)`);
      await appendBootLog(dir, entry('hang', bank, build, null));
      this.status = 'hung';
      return;
    }

    await linkBanks(dir, bank);
    // ESXi's /tmp is a ramdisk: nothing in it survives a boot.
    rmSync(path.join(dir, 'tmp'), { recursive: true, force: true });
    if (firstBoot && this.options.commitAtBoot && cfg !== null) {
      // ESXi's tag-boot-bank marks the booted bank VALID early in the boot, before SSH answers.
      await writeBootCfg(dir, bank, withCfgValue(cfg, 'bootstate', 0));
      lines.push(`jumpstart: tag-boot-bank: updating bootstate: BOOT_STATE_DIRTY -> BOOT_STATE_VALID (bank${bank})`);
    }
    const bootId = randomUUID();
    this.file = { ...this.file, bootCount: this.file.bootCount + 1 };
    lines.push(`vmkernel: Boot complete: ESXi ${build} running from /bootbank (bank${bank}), boot #${this.file.bootCount}, id ${bootId}`);
    if (generation !== this.generation) return;
    await this.listen();
    this.booted = { bank, build, bootId, at: new Date() };
    this.status = 'up';
    await writeHostFile(dir, this.file);
    await appendBootLog(dir, entry('up', bank, build, bootId));
  }

  private async listen(): Promise<void> {
    let server: HostListener;
    for (let attempt = 1; ; attempt++) {
      try {
        server = await this.options.api.listen(this, this.file.port);
        break;
      } catch (error) {
        // The port was ours a moment ago; give the kernel (or a stray client) a moment.
        if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 50) throw error;
        await sleep(100);
      }
    }
    if (this.file.port === 0) this.file = { ...this.file, port: server.port };
    this.server = server;
    if (this.options.ssh) {
      const hostKey = await ensureSshHostKey(this.options.dir);
      this.sshServer = await startSshServer(this, this.options.dir, { ...this.options.ssh, hostKey }, this.file.sshPort);
      if (this.file.sshPort === 0) this.file = { ...this.file, sshPort: this.sshServer.port };
    }
  }

  private requireUp(): { bank: BankIndex; build: string; bootId: string; at: Date } {
    if (this.status !== 'up' || !this.booted) throw new Refusal(409, 'not-up', `host ${this.id} is ${this.status}`);
    return this.booted;
  }

  async state(): Promise<HostState> {
    const booted = this.requireUp();
    const dir = this.options.dir;
    const view = async (bank: BankIndex) => ({ bank, bootCfg: await readBootCfg(dir, bank), imageSha256: await imageDigest(dir, bank) });
    return {
      hostId: this.id,
      name: this.name,
      bootId: booted.bootId,
      bootedAt: booted.at.toISOString(),
      uptimeMs: Date.now() - booted.at.getTime(),
      bootedBank: booted.bank,
      runningBuild: booted.build,
      banks: [await view(0), await view(1)],
      incompleteStage: await readIncompleteStage(dir),
      maintenanceMode: this.file.maintenanceMode,
    };
  }

  /**
   * Maintenance mode, as a standalone ESXi host does it: entering waits for the host's VMs
   * to be evacuated (the evacuationMs fault), and is refused when that fails
   * (failEvacuation) or takes longer than the request allows. It survives reboots.
   */
  async setMaintenanceMode(request: { enable: boolean; timeoutMs: number }): Promise<{ enabled: boolean; changed: boolean }> {
    this.requireUp();
    if (this.file.maintenanceMode === request.enable) return { enabled: request.enable, changed: false };
    if (request.enable) {
      const faults = this.faultsNow();
      const evacuationMs = faults.evacuationMs ?? 0;
      await sleep(Math.min(evacuationMs, request.timeoutMs));
      if (faults.failEvacuation) {
        throw new Refusal(409, 'evacuation-failed', `host ${this.id} could not enter maintenance mode: the migration of a running VM failed (fault failEvacuation); it stays out of maintenance mode`);
      }
      if (evacuationMs > request.timeoutMs) {
        throw new Refusal(409, 'maintenance-timeout', `host ${this.id} did not enter maintenance mode within ${Math.round(request.timeoutMs / 1000)} s: its VMs were still being evacuated; it stays out of maintenance mode`);
      }
    }
    this.file = { ...this.file, maintenanceMode: request.enable };
    await writeHostFile(this.options.dir, this.file);
    return { enabled: request.enable, changed: true };
  }

  /**
   * Writes an image into the alternate bank, as `esxcli software profile update` does.
   * The running bank is never touched. The payload goes to a `.partial` file under an
   * incomplete-stage marker; only a verified payload replaces the bank's image, and the
   * marker goes away only once boot.cfg says UPGRADING. `drop` cuts the connection.
   */
  async stage(
    input: { build: string; sha256: string },
    payload: Readable,
    contentLength: number | undefined,
    drop: () => void,
  ): Promise<StageResult | 'dropped'> {
    const booted = this.requireUp();
    if (this.staging) throw new Refusal(409, 'stage-in-progress', `host ${this.id} is already staging an image`);
    this.staging = true;
    try {
      const dir = this.options.dir;
      const bank = other(booted.bank);
      await clearIncompleteStage(dir);
      mkdirSync(bankDir(dir, bank), { recursive: true });
      await writeIncompleteStage(dir, { bank, build: input.build, startedAt: new Date().toISOString() });

      const crashAt = await this.takeCrashMidStage(input.build, contentLength);
      const hash = createHash('sha256');
      const out = createWriteStream(partialImagePath(dir, bank));
      let bytes = 0;
      for await (const chunk of payload as AsyncIterable<Buffer>) {
        if (crashAt !== null && bytes + chunk.length >= crashAt) {
          out.write(chunk.subarray(0, Math.max(crashAt - bytes, 0)));
          out.end();
          await once(out, 'close');
          drop();
          return 'dropped';
        }
        hash.update(chunk);
        bytes += chunk.length;
        if (!out.write(chunk)) await once(out, 'drain');
      }
      out.end();
      await once(out, 'close');

      const slowMs = this.faultsNow(input.build).slowStageMs ?? 0;
      if (slowMs > 0) await sleep(slowMs);
      const digest = hash.digest('hex');
      if (bytes === 0 || digest !== input.sha256.toLowerCase()) {
        await clearIncompleteStage(dir);
        throw bytes === 0
          ? new Refusal(400, 'empty-image', 'the image payload is empty')
          : new Refusal(
              422,
              'digest-mismatch',
              `image for build ${input.build} has sha256 ${digest}, expected ${input.sha256}; bank${bank} was not changed`,
            );
      }
      const alt = await readBootCfg(dir, bank);
      // The old image is about to be overwritten: the bank must not claim it any more.
      if (alt !== null) await writeBootCfg(dir, bank, withCfgValue(alt, 'bootstate', 3));
      await fs.rename(partialImagePath(dir, bank), path.join(bankDir(dir, bank), IMAGE_FILE));
      const updated = cfgUpdated(await readBootCfg(dir, booted.bank)) + 1;
      const bootCfg = installedBootCfg({ build: input.build, updated, bootstate: 1 });
      await writeBootCfg(dir, bank, bootCfg);
      await clearIncompleteStage(dir);
      return { bank, build: input.build, updated, imageSha256: digest, bootCfg };
    } finally {
      this.staging = false;
    }
  }

  /** crashMidStage: where to cut (bytes), or null. A host's own fault fires once. */
  private async takeCrashMidStage(build: string, contentLength: number | undefined): Promise<number | null> {
    if (!this.faultsNow(build).crashMidStage) return null;
    if (this.file.faults.crashMidStage) await this.setFaults({ ...this.file.faults, crashMidStage: undefined });
    return Math.floor((contentLength ?? 2) / 2);
  }

  async commit(expect: CommitRequest): Promise<CommitResult> {
    const booted = this.requireUp();
    if (expect.bank !== undefined && expect.bank !== booted.bank) {
      throw new Refusal(409, 'bank-not-booted', `bank${expect.bank} did not boot: host ${this.id} runs ${booted.build} from bank${booted.bank}`);
    }
    if (expect.build !== undefined && expect.build !== booted.build) {
      throw new Refusal(409, 'build-not-running', `build ${expect.build} did not boot: host ${this.id} runs ${booted.build} from bank${booted.bank}`);
    }
    const text = await readBootCfg(this.options.dir, booted.bank);
    const state = cfgValue(text, 'bootstate');
    if (text === null || (state !== '0' && state !== '2')) {
      throw new Refusal(409, 'bank-not-bootable', `bank${booted.bank} has bootstate=${state ?? 'missing'}; only a DIRTY or VALID bank can be committed`);
    }
    if (state === '0') return { bank: booted.bank, build: booted.build, changed: false, bootCfg: text };
    const bootCfg = withCfgValue(text, 'bootstate', 0);
    await writeBootCfg(this.options.dir, booted.bank, bootCfg);
    return { bank: booted.bank, build: booted.build, changed: true, bootCfg };
  }

  /**
   * Gives up on a staged, never-booted image (an upgrade cancelled before its reboot):
   * the alternate bank is marked INVALID so that no later reboot boots it. Repeating it,
   * or calling it with nothing staged, changes nothing.
   */
  async abandonStage(): Promise<AbandonStageResult> {
    const booted = this.requireUp();
    if (this.staging) throw new Refusal(409, 'stage-in-progress', `host ${this.id} is staging an image; abandon it after the stage ends`);
    const altBank = other(booted.bank);
    const text = await readBootCfg(this.options.dir, altBank);
    if (text === null || cfgValue(text, 'bootstate') !== '1') {
      return { bank: altBank, build: text === null ? null : (cfgValue(text, 'build') ?? null), changed: false };
    }
    await writeBootCfg(this.options.dir, altBank, withCfgValue(text, 'bootstate', 3));
    await clearIncompleteStage(this.options.dir);
    return { bank: altBank, build: cfgValue(text, 'build') ?? null, changed: true };
  }

  /** Shift+R from the update tooling: refused unless the other bank holds a VALID image. */
  async assertCanRollBack(): Promise<void> {
    const booted = this.requireUp();
    const altBank = other(booted.bank);
    const alt = await readBootCfg(this.options.dir, altBank);
    if (!isValidBank(alt)) {
      const state = alt === null ? 'empty' : `bootstate=${cfgValue(alt, 'bootstate') ?? 'missing'}, build=${cfgValue(alt, 'build') ?? ''}`;
      throw new Refusal(409, 'no-alternate', `No alternate hypervisor to roll back to: bank${altBank} is ${state}`);
    }
    if (this.staging) throw new Refusal(409, 'stage-in-progress', `host ${this.id} is staging an image`);
  }

  assertCanReboot(): void {
    this.requireUp();
    if (this.staging) throw new Refusal(409, 'stage-in-progress', `host ${this.id} is staging an image; reboot after it ends`);
  }

  health(): HealthReport {
    const booted = this.requireUp();
    const faults = this.faultsNow();
    const checks = [
      { name: 'vmkernel', ok: true, detail: `ESXi ${booted.build} running from bank${booted.bank}` },
      faults.failHealth
        ? { name: 'hostd', ok: false, detail: 'hostd is not responding (fault failHealth)' }
        : { name: 'hostd', ok: true, detail: 'hostd answering' },
    ];
    return { ok: checks.every((check) => check.ok), checks };
  }

  bootLog(limit: number): Promise<BootLogEntry[]> {
    return readBootLog(this.options.dir, limit);
  }
}
