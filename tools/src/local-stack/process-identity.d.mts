// Types for process-identity.mjs (plain JavaScript so that the detached reaper runs on
// bare node).

/** A process told apart from every later process that gets the same pid. */
export interface ProcessIdentity {
  readonly pid: number;
  /** When the process started, as the OS reports it (an opaque token: compare, don't parse). */
  readonly startTime: string;
}

export function processIdentity(pid: number): ProcessIdentity | undefined;
export function isSameProcess(identity: ProcessIdentity): boolean;
export function fromProcStat(pid: number): { startTime: string; exited: boolean } | undefined;
export function fromPs(pid: number): { startTime: string; exited: boolean } | undefined;
