import fs from 'node:fs';

/**
 * CPU seconds (user + system) used so far by the processes, from /proc (Linux); 0 for a
 * gone one. With `reapedChildren`, also the time of their children that exited and were
 * waited for (PostgreSQL's backends end when their connection closes).
 */
export function cpuSeconds(pids: readonly number[], options: { reapedChildren?: boolean } = {}): number {
  const ticksPerSecond = 100; // USER_HZ on Linux
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after the command name (which may contain spaces) start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
      if (options.reapedChildren) ticks += Number(fields[13]) + Number(fields[14]); // cutime, cstime
    } catch {
      // the process is gone: its time is not counted
    }
  }
  return ticks / ticksPerSecond;
}

/** Every process whose command line contains `needle` (e.g. the PostgreSQL data folder). */
export function pidsMatching(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle)) pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
}

/** The live children of a process (e.g. a postmaster's backends), from /proc (Linux). */
export function childrenOf(parent: number): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent) pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
}
