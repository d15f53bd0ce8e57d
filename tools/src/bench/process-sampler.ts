// Memory and CPU of groups of processes (a component and every process under it), from
// /proc (Linux), sampled every second: the scale benchmark's per-component figures.
// Memory is PSS (smaps_rollup): shared pages are split between the processes that map
// them, so PostgreSQL's shared buffers count once however many backends touch them, and
// the sum over every group is the machine's memory these processes use. CPU is user +
// system time, including children that exited and were reaped (PostgreSQL's backends).
import fs from 'node:fs';

export interface ComponentGroup {
  readonly name: string;
  /** The group's root processes now (their descendants belong to the group too). */
  readonly pids: () => readonly number[];
}

export interface ComponentFigures {
  readonly name: string;
  readonly peakMiB: number;
  readonly lastMiB: number;
  /** CPU seconds between start() and stop(). */
  readonly cpuSeconds: number;
  /** Processes seen in the group at the peak. */
  readonly processesAtPeak: number;
}

export interface SamplerReport {
  readonly components: readonly ComponentFigures[];
  /** The peak of the sum over every group (not the sum of the peaks). */
  readonly peakTotalMiB: number;
  readonly seconds: number;
  readonly samples: number;
}

interface ProcStat {
  readonly ppid: number;
  /** utime + stime, and cutime + cstime (reaped children), in ticks. */
  readonly ticks: number;
  readonly childTicks: number;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function readStat(pid: number): ProcStat | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]), childTicks: Number(f[13]) + Number(f[14]) };
  } catch {
    return undefined;
  }
}

/** PSS in KiB (smaps_rollup), or VmRSS where smaps_rollup cannot be read; 0 for a gone process. */
export function memoryKiB(pid: number): number {
  try {
    const rollup = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const pss = /^Pss:\s+(\d+) kB/m.exec(rollup);
    if (pss) return Number(pss[1]);
  } catch {
    // not readable: fall back to the resident set
  }
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Every process now, with its parent and CPU ticks. */
function allProcesses(): Map<number, ProcStat> {
  const all = new Map<number, ProcStat>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat) all.set(Number(entry), stat);
  }
  return all;
}

/** The roots and every descendant of theirs among `all`. */
export function withDescendants(roots: readonly number[], parents: ReadonlyMap<number, number>): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parents) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const seen = new Set<number>();
  const queue = roots.filter((pid) => parents.has(pid));
  while (queue.length) {
    const pid = queue.pop()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return [...seen];
}

export interface ProcessSampler {
  stop(): SamplerReport;
}

/** Samples every group now and every `everyMs` until stop(); a group's pids are read at each sample. */
export function startSampler(groups: readonly ComponentGroup[], everyMs = 1_000): ProcessSampler {
  const started = performance.now();
  const peak = new Map<string, { kib: number; processes: number }>();
  const last = new Map<string, number>();
  let peakTotal = 0;
  let samples = 0;

  const cpuTicks = (all: Map<number, ProcStat>, group: ComponentGroup): number => {
    const roots = group.pids();
    const parents = new Map([...all].map(([pid, stat]) => [pid, stat.ppid] as const));
    // Live processes of the group, and what the roots' reaped children used.
    return withDescendants(roots, parents).reduce((sum, pid) => sum + (all.get(pid)?.ticks ?? 0), 0) + roots.reduce((sum, pid) => sum + (all.get(pid)?.childTicks ?? 0), 0);
  };
  const cpuAtStart = (() => {
    const all = allProcesses();
    return new Map(groups.map((g) => [g.name, cpuTicks(all, g)] as const));
  })();

  const sample = () => {
    const all = allProcesses();
    const parents = new Map([...all].map(([pid, stat]) => [pid, stat.ppid] as const));
    let total = 0;
    for (const group of groups) {
      const pids = withDescendants(group.pids(), parents);
      const kib = pids.reduce((sum, pid) => sum + memoryKiB(pid), 0);
      total += kib;
      last.set(group.name, kib);
      if (kib > (peak.get(group.name)?.kib ?? -1)) peak.set(group.name, { kib, processes: pids.length });
    }
    peakTotal = Math.max(peakTotal, total);
    samples++;
  };
  sample();
  const timer = setInterval(sample, everyMs);
  timer.unref();

  return {
    stop() {
      clearInterval(timer);
      sample();
      const all = allProcesses();
      return {
        components: groups.map((g) => ({
          name: g.name,
          peakMiB: (peak.get(g.name)?.kib ?? 0) / 1024,
          lastMiB: (last.get(g.name) ?? 0) / 1024,
          cpuSeconds: (cpuTicks(all, g) - (cpuAtStart.get(g.name) ?? 0)) / TICKS_PER_SECOND,
          processesAtPeak: peak.get(g.name)?.processes ?? 0,
        })),
        peakTotalMiB: peakTotal / 1024,
        seconds: (performance.now() - started) / 1000,
        samples,
      };
    },
  };
}
