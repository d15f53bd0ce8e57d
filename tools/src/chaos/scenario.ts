// The shape of a chaos scenario and what it may do to the engine while a campaign runs.
import type { Client } from '@temporalio/client';
import type { Faults } from '@bankswitch/host-agent';
import type { Fleet } from '../fleet/index';
import type { LocalStack } from '../local-stack/index';
import type { WorkerPool } from './workers';

export interface ChaosContext {
  readonly stack: LocalStack;
  readonly workers: WorkerPool;
  readonly fleet: Fleet;
  readonly client: Client;
  readonly campaignId: string;
  /** Host ids of the scenario: host(1) is `<scenario>-esx01`. */
  host(n: number): string;
  /** The step a host's upgrade is at (its workflow's query), undefined when none runs. */
  stepOf(hostId: string): Promise<string | undefined>;
  /** Waits until `probe` gives a value (bounded; the scenario fails as hung otherwise). */
  until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs?: number): Promise<T>;
  sleep(ms: number): Promise<void>;
  log(line: string): void;
}

export interface Scenario {
  readonly name: string;
  /** What it does to the engine, in a line for the table. */
  readonly what: string;
  /** Part of the quick subset that CI runs. */
  readonly quick?: boolean;
  readonly hosts: number;
  /** Worker processes on the campaign's task queue (default 1; a `crashAfter` worker is the first). */
  readonly workers?: number;
  /** Faults by host number (1-based). */
  readonly faults?: Readonly<Record<number, Faults>>;
  /** Campaign strategy (spec fields) over the defaults: canary 1, the rest in one wave, 2 in flight, budget 1, reboot timeout 15s. */
  readonly strategy?: Readonly<Record<string, unknown>>;
  /** A worker that kills itself once right after this activity's work for this host ("<activity>@<host number>"). */
  readonly crashAfter?: { readonly activity: string; readonly host: number };
  /** Before the campaign starts (e.g. damage a host's boot.cfg). */
  before?(ctx: Omit<ChaosContext, 'campaignId' | 'stepOf'>): Promise<void>;
  /** While the campaign runs. */
  inject?(ctx: ChaosContext): Promise<void>;
  /** End states each host may be left in (by host number); every other host must be upgraded. */
  readonly expect?: Readonly<Record<number, readonly string[]>>;
}
