// `--fault` values of the fleet CLI: <name>[=<value>]@<host id> or <name>[=<value>]@build:<build>.
//   failBoot@a-esx01   slowRebootMs=2000@a-esx02   dropConnections=0.2@b-esx01
//   dropConnections=next:3@b-esx02   failHealth@build:8.0.3-0.0.99
import type { Faults } from '@bankswitch/host-agent';
import type { FleetFaults } from './launch-fleet';

type Target = { kind: 'host'; id: string } | { kind: 'build'; build: string };

function faultOf(name: string, value: string | undefined, arg: string): Faults {
  const bool = value === undefined || value === 'true';
  switch (name) {
    case 'failBoot':
    case 'hangOnBoot':
    case 'failHealth':
    case 'crashMidStage':
      if (value !== undefined && value !== 'true') throw new Error(`--fault ${arg}: ${name} takes no value`);
      return { [name]: bool };
    case 'slowRebootMs':
    case 'slowReboot':
    case 'slowStageMs': {
      const key = name === 'slowStageMs' ? 'slowStageMs' : 'slowRebootMs';
      const ms = Number(value);
      if (!Number.isInteger(ms) || ms < 0) throw new Error(`--fault ${arg}: ${key} needs a number of ms (${key}=2000@host)`);
      return { [key]: ms };
    }
    case 'dropConnections': {
      if (value?.startsWith('next:')) {
        const next = Number(value.slice(5));
        if (!Number.isInteger(next) || next < 0) throw new Error(`--fault ${arg}: next:<N> needs a whole number`);
        return { dropConnections: { next } };
      }
      const probability = Number(value);
      if (value === undefined || !(probability >= 0 && probability <= 1)) {
        throw new Error(`--fault ${arg}: dropConnections needs a probability 0..1 or next:<N>`);
      }
      return { dropConnections: { probability } };
    }
    default:
      throw new Error(
        `--fault ${arg}: unknown fault "${name}" (failBoot, hangOnBoot, failHealth, crashMidStage, slowStageMs, slowRebootMs, dropConnections)`,
      );
  }
}

export function parseFaultArg(arg: string): { target: Target; faults: Faults } {
  const at = arg.lastIndexOf('@');
  if (at <= 0 || at === arg.length - 1) throw new Error(`--fault ${arg}: expected <name>[=<value>]@<host id | build:<build>>`);
  const [name, value] = arg.slice(0, at).split(/=(.*)/s, 2) as [string, string | undefined];
  const where = arg.slice(at + 1);
  const target: Target = where.startsWith('build:') ? { kind: 'build', build: where.slice(6) } : { kind: 'host', id: where };
  return { target, faults: faultOf(name, value, arg) };
}

export function faultsFromArgs(args: readonly string[]): FleetFaults {
  const hosts: Record<string, Faults> = {};
  const builds: Record<string, Faults> = {};
  for (const arg of args) {
    const { target, faults } = parseFaultArg(arg);
    if (target.kind === 'host') hosts[target.id] = { ...hosts[target.id], ...faults };
    else builds[target.build] = { ...builds[target.build], ...faults };
  }
  return { hosts, builds };
}
