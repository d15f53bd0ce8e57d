// The part of an ESXi host's shell (BusyBox sh, esxcli) that Bankswitch's SSH driver
// uses, answering as ESXi does: the same output formats, exit codes and refusal texts
// (docs/esxi-ssh.md says where each comes from), over the simulated host's banks on disk.
// Commands run one after another (`;`, `&&`); stdin goes to the `cat >` that reads it.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { BankIndex } from '@bankswitch/host-driver';
import { Refusal } from './refusal';
import type { SimHost } from './sim-host';

export interface ShellResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
  /** Runs once the answer has left (a reboot closes the connection). */
  readonly after?: () => void;
}

/** What the shell needs from the simulated host. */
export interface ShellHost {
  readonly host: SimHost;
  readonly dir: string;
}

const ok = (stdout = ''): ShellResult => ({ stdout, stderr: '', code: 0 });
const fail = (stdout: string, code = 1): ShellResult => ({ stdout, stderr: '', code });
/** esxcli prints its errors on stdout, one leading space per line, then exits 1. */
const esxcliError = (kind: string, message: string): ShellResult => fail(` [${kind}]\n ${message}\n Please refer to the log file for more details.\n`);

/** A VMFS-style volume UUID for a host's bank, the same at every boot. */
export function bankVolumeUuid(hostId: string, bank: BankIndex): string {
  const hex = createHash('sha256').update(`${hostId}/bootbank${bank + 1}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export async function runShell(sh: ShellHost, line: string, stdin: Buffer): Promise<ShellResult> {
  let stdinLeft: Buffer | undefined = stdin;
  const out: string[] = [];
  const err: string[] = [];
  const afters: (() => void)[] = [];
  let code = 0;
  for (const { command, joiner } of splitSequence(line)) {
    if (joiner === '&&' && code !== 0) break;
    const words = splitWords(command);
    const readsStdin = words[0] === 'cat' && words[1] === '>';
    const result = await runOne(sh, words, readsStdin ? (stdinLeft ?? Buffer.alloc(0)) : Buffer.alloc(0));
    if (readsStdin) stdinLeft = undefined;
    out.push(result.stdout);
    err.push(result.stderr);
    if (result.after) afters.push(result.after);
    code = result.code;
  }
  return { stdout: out.join(''), stderr: err.join(''), code, ...(afters.length ? { after: () => afters.forEach((a) => a()) } : {}) };
}

async function runOne(sh: ShellHost, words: string[], stdin: Buffer): Promise<ShellResult> {
  const [cmd, ...args] = words;
  const joined = words.join(' ');
  try {
    if (cmd === 'esxcli') return await esxcli(sh, args);
    switch (cmd) {
      case 'date':
        return ok(`${Math.floor(Date.now() / 1000)}\n`);
      case 'readlink': {
        const target = volumeOf(sh, args[0] ?? '');
        if (target) return ok(`/vmfs/volumes/${target}\n`);
        const file = realPath(sh, args[0] ?? '');
        const link = file ? await fs.readlink(file).catch(() => undefined) : undefined;
        return link === undefined ? fail('') : ok(`${link}\n`);
      }
      case 'ln':
        return await symlink(sh, args);
      case 'cat':
        return args[0] === '>' ? await writeFile(sh, args[1] ?? '', stdin) : await readFiles(sh, args);
      case 'tail':
        return await tail(sh, args);
      case 'mv':
        return await move(sh, args[0] ?? '', args[1] ?? '');
      case 'rm':
        return await remove(sh, args.filter((a) => !a.startsWith('-')));
      case 'sync':
        return ok();
      case 'sha256sum': {
        const file = realPath(sh, args[0] ?? '');
        const data = file ? await fs.readFile(file).catch(() => undefined) : undefined;
        if (!data) return { stdout: '', stderr: `sha256sum: can't open '${args[0]}': No such file or directory\n`, code: 1 };
        return ok(`${createHash('sha256').update(data).digest('hex')}  ${args[0]}\n`);
      }
      case '/etc/init.d/hostd': {
        const hostd = sh.host.health().checks.find((c) => c.name === 'hostd');
        return hostd?.ok ? ok('hostd is running.\n') : fail('hostd is not running.\n', 3);
      }
      default:
        return { stdout: '', stderr: `sh: ${cmd ?? ''}: not found\n`, code: 127 };
    }
  } catch (error) {
    if (error instanceof Refusal) return fail(`${error.message}\n`);
    return { stdout: '', stderr: `sh: ${joined}: ${(error as Error).message}\n`, code: 1 };
  }
}

async function esxcli(sh: ShellHost, args: string[]): Promise<ShellResult> {
  const key = args.filter((a) => !a.startsWith('-')).slice(0, 3).join(' ');
  const option = (...names: string[]) => {
    for (let i = 0; i < args.length; i++) if (names.includes(args[i] ?? '')) return args[i + 1];
    const inline = args.find((a) => names.some((n) => a.startsWith(`${n}=`)));
    return inline?.slice(inline.indexOf('=') + 1);
  };
  const state = await sh.host.state();
  switch (key) {
    case 'system version get': {
      const [version = '', rest = ''] = state.runningBuild.split('-');
      const parts = rest.split('.');
      return ok(`   Product: VMware ESXi\n   Version: ${version}\n   Build: Releasebuild-${parts.at(-1) ?? ''}\n   Update: ${version.split('.')[2] ?? '0'}\n   Patch: ${parts[1] ?? '0'}\n`);
    }
    case 'system stats uptime': // esxcli system stats uptime get
      return ok(`${state.uptimeMs * 1000}\n`);
    case 'storage filesystem list': {
      const rows = ([0, 1] as const).map((bank) => [`/vmfs/volumes/${bankVolumeUuid(sh.host.id, bank)}`, `BOOTBANK${bank + 1}`, bankVolumeUuid(sh.host.id, bank), 'true', 'vfat', '4293591040', '4027187200']);
      return ok(table(['Mount Point', 'Volume Name', 'UUID', 'Mounted', 'Type', 'Size', 'Free'], rows));
    }
    case 'system maintenanceMode get':
      return ok(`${state.maintenanceMode ? 'Enabled' : 'Disabled'}\n`);
    case 'system maintenanceMode set': {
      const enable = option('-e', '--enable') === 'true';
      if (enable === state.maintenanceMode) return fail(`Maintenance mode is already ${enable ? 'enabled' : 'disabled'}.\n`);
      const timeoutS = Number(option('-t', '--timeout') ?? '0');
      try {
        // --timeout 0 waits for as long as VMs run; the simulation bounds it at an hour.
        await sh.host.setMaintenanceMode({ enable, timeoutMs: timeoutS > 0 ? timeoutS * 1000 : 3_600_000 });
      } catch (error) {
        // ESXi's own text for a failed or timed-out evacuation is not documented (docs/esxi-ssh.md): the simulation's reason, on stdout, exit 1.
        if (error instanceof Refusal) return fail(`${error.message.replace(/^host \S+ /, '')}\n`);
        throw error;
      }
      return ok();
    }
    case 'system shutdown reboot': {
      const reason = option('-r', '--reason');
      if (!reason) return fail('Error: Missing required parameter -r|--reason\n');
      if (!state.maintenanceMode) return fail('System is not in maintenance mode. Cannot perform requested operation.\n');
      sh.host.assertCanReboot();
      return { ...ok(), after: () => void sh.host.reboot(false) };
    }
    case 'software sources profile': {
      const depot = await readDepot(sh, option('-d', '--depot'));
      if ('error' in depot) return depot.error;
      return ok(table(['Name', 'Vendor', 'Acceptance Level', 'Creation Time', 'Modification Time'], [[depot.profile, 'VMware, Inc.', 'PartnerSupported', '2026-11-30T00:00:00', '2026-11-30T00:00:00']]));
    }
    case 'software profile update': {
      const depot = await readDepot(sh, option('-d', '--depot'));
      if ('error' in depot) return depot.error;
      if (option('-p', '--profile') !== depot.profile) {
        return esxcliError('NoMatchError', `No image profile found with name '${option('-p', '--profile') ?? ''}'`);
      }
      const booted = state.banks[state.bootedBank].bootCfg ?? '';
      const bootstate = /^bootstate=(\d)/m.exec(booted)?.[1];
      if (bootstate !== '0') {
        return esxcliError(
          'InstallationError',
          `Current bootbank /bootbank is not verified and most likely a serious problem was encountered during boot, it is not safe to continue altbootbank install. bootstate is ${bootstate ?? '?'}, expected value is 0.`,
        );
      }
      if (depot.build === state.runningBuild) return ok('Update Result\n   Message: Host is not changed.\n   Reboot Required: false\n   VIBs Installed: \n   VIBs Removed: \n   VIBs Skipped: \n');
      const sha256 = createHash('sha256').update(depot.data).digest('hex');
      await sh.host.stage({ build: depot.build, sha256 }, Readable.from([depot.data]), depot.data.length, () => undefined);
      return ok(
        'Update Result\n' +
          '   Message: The update completed successfully, but the system needs to be rebooted for the changes to be effective.\n' +
          '   Reboot Required: true\n' +
          `   VIBs Installed: VMware_bootbank_esx-base_${depot.build}\n` +
          `   VIBs Removed: VMware_bootbank_esx-base_${state.runningBuild}\n` +
          '   VIBs Skipped: \n',
      );
    }
    default:
      return fail(`Error: Unknown command or namespace ${args.join(' ')}\n`);
  }
}

/** A depot zip as the simulation knows it: the image the campaigns stage, whose first line names its build. */
async function readDepot(sh: ShellHost, depotPath: string | undefined): Promise<{ data: Buffer; build: string; profile: string } | { error: ShellResult }> {
  if (!depotPath || !depotPath.startsWith('/')) {
    return { error: esxcliError('MetadataDownloadError', `Could not download from depot at zip:/var/log/vmware/${depotPath ?? ''}?index.xml, skipping ([Errno 2] No such file or directory)`) };
  }
  const file = realPath(sh, depotPath);
  const data = file ? await fs.readFile(file).catch(() => undefined) : undefined;
  if (!data) {
    return { error: esxcliError('MetadataDownloadError', `Could not download from depot at zip:${depotPath}?index.xml, skipping ([Errno 2] No such file or directory: '${depotPath}')`) };
  }
  const build = /^ESXi (\S+) image/.exec(data.subarray(0, 200).toString('utf8'))?.[1];
  if (!build) {
    return { error: esxcliError('MetadataDownloadError', `Could not download from depot at zip:${depotPath}?index.xml, skipping (Error extracting index.xml from ${depotPath}: "There is no item named 'index.xml' in the archive")`) };
  }
  return { data, build, profile: `ESXi-${build}-standard` };
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return `${[line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')}\n`;
}

/** /bootbank, /altbootbank → the volume UUID they point at. */
function volumeOf(sh: ShellHost, link: string): string | undefined {
  const booted = sh.host.summary.bootedBank;
  if (booted === null) return undefined;
  if (link === '/bootbank') return bankVolumeUuid(sh.host.id, booted);
  if (link === '/altbootbank') return bankVolumeUuid(sh.host.id, booted === 0 ? 1 : 0);
  return undefined;
}

/** The file on the simulated host's disk behind a path of its shell; undefined outside the banks and /tmp. */
function realPath(sh: ShellHost, shellPath: string): string | undefined {
  const booted = sh.host.summary.bootedBank;
  const bank = (index: BankIndex) => path.join(sh.dir, `bank${index}`);
  const under = (prefix: string, dir: string) => (shellPath.startsWith(`${prefix}/`) ? path.join(dir, path.basename(shellPath)) : undefined);
  for (const index of [0, 1] as const) {
    const found = under(`/vmfs/volumes/${bankVolumeUuid(sh.host.id, index)}`, bank(index));
    if (found) return found;
  }
  if (booted !== null) {
    return under('/bootbank', bank(booted)) ?? under('/altbootbank', bank(booted === 0 ? 1 : 0)) ?? under('/tmp', path.join(sh.dir, 'tmp'));
  }
  return under('/tmp', path.join(sh.dir, 'tmp'));
}

async function readFiles(sh: ShellHost, paths: string[]): Promise<ShellResult> {
  let stdout = '';
  for (const p of paths) {
    if (p === '/var/log/vmkernel.log') {
      stdout += await vmkernelLog(sh);
      continue;
    }
    const file = realPath(sh, p);
    const text = file ? await fs.readFile(file, 'utf8').catch(() => undefined) : undefined;
    if (text === undefined) return { stdout, stderr: `cat: can't open '${p}': No such file or directory\n`, code: 1 };
    stdout += text;
  }
  return ok(stdout);
}

async function tail(sh: ShellHost, args: string[]): Promise<ShellResult> {
  const n = Number(args[args.indexOf('-n') + 1] ?? '10');
  const file = args.at(-1) ?? '';
  const text = file === '/var/log/vmkernel.log' ? await vmkernelLog(sh) : (await readFiles(sh, [file])).stdout;
  return ok(`${text.split('\n').filter((l) => l !== '').slice(-n).join('\n')}\n`);
}

async function vmkernelLog(sh: ShellHost): Promise<string> {
  const boots = await sh.host.bootLog(20);
  return boots.flatMap((b) => b.lines.map((line) => `${b.at} ${line}`)).join('\n') + '\n';
}

async function writeFile(sh: ShellHost, target: string, data: Buffer): Promise<ShellResult> {
  const file = realPath(sh, target);
  if (!file) return { stdout: '', stderr: `sh: can't create ${target}: Read-only file system\n`, code: 1 };
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, data);
  return ok();
}

/** `ln -s <target> <link>`: fails, and changes nothing, when the link exists (what makes it a lock). */
async function symlink(sh: ShellHost, args: string[]): Promise<ShellResult> {
  const [flag, target, link] = args;
  const file = link ? realPath(sh, link) : undefined;
  if (flag !== '-s' || !target || !link) return { stdout: '', stderr: 'BusyBox: usage: ln -s TARGET LINK\n', code: 1 };
  if (!file) return { stdout: '', stderr: `ln: ${link}: Read-only file system\n`, code: 1 };
  await fs.mkdir(path.dirname(file), { recursive: true });
  try {
    await fs.symlink(target, file);
    return ok();
  } catch {
    return { stdout: '', stderr: `ln: ${link}: File exists\n`, code: 1 };
  }
}

async function move(sh: ShellHost, from: string, to: string): Promise<ShellResult> {
  const a = realPath(sh, from);
  const b = realPath(sh, to);
  if (!a || !b) return { stdout: '', stderr: `mv: can't rename '${from}': Read-only file system\n`, code: 1 };
  try {
    await fs.rename(a, b);
    return ok();
  } catch {
    return { stdout: '', stderr: `mv: can't rename '${from}': No such file or directory\n`, code: 1 };
  }
}

async function remove(sh: ShellHost, paths: string[]): Promise<ShellResult> {
  for (const p of paths) {
    const file = realPath(sh, p);
    if (file) await fs.rm(file, { force: true });
  }
  return ok();
}

/** `a; b && c` → the commands and how each is joined to the one before. */
export function splitSequence(line: string): { command: string; joiner: ';' | '&&' | '' }[] {
  const parts: { command: string; joiner: ';' | '&&' | '' }[] = [];
  let current = '';
  let quote: string | undefined;
  let joiner: ';' | '&&' | '' = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      current += c;
    } else if (c === '\\' && i + 1 < line.length) {
      current += c + line[++i];
    } else if (c === "'" || c === '"') {
      quote = c;
      current += c;
    } else if (c === ';' || (c === '&' && line[i + 1] === '&')) {
      if (current.trim()) parts.push({ command: current.trim(), joiner });
      joiner = c === ';' ? ';' : '&&';
      if (c === '&') i++;
      current = '';
    } else current += c;
  }
  if (current.trim()) parts.push({ command: current.trim(), joiner });
  return parts;
}

/** Words of one command, quotes removed (`'it'\''s'` included). */
export function splitWords(command: string): string[] {
  const words: string[] = [];
  let current: string | undefined;
  let quote: string | undefined;
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else current = (current ?? '') + c;
    } else if (c === '\\' && i + 1 < command.length) {
      current = (current ?? '') + command[++i];
    } else if (c === "'" || c === '"') {
      quote = c;
      current ??= '';
    } else if (/\s/.test(c)) {
      if (current !== undefined) words.push(current);
      current = undefined;
    } else current = (current ?? '') + c;
  }
  if (current !== undefined) words.push(current);
  return words;
}
