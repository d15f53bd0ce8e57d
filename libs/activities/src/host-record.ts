// Decide before acting: every command to a host is ruled on by the bank decider against
// the host's history first; only an accepted command reaches the driver, and the events
// appended are the ones the decider returned, once, whatever Temporal retries.
import { ApplicationFailure } from '@temporalio/activity';
import { decide, hostBanksFromBootCfgs, type BankCommand, type BankEvent, type HostBanks } from '@bankswitch/banks';
import type { HostState } from '@bankswitch/host-driver';
import type { EventMetadata, HostHistory, HostHistorySnapshot } from './ports';

export function observedBanks(host: HostState): HostBanks {
  return hostBanksFromBootCfgs(host.banks[0].bootCfg, host.banks[1].bootCfg, host.bootedBank);
}

export function sameBanks(a: HostBanks, b: HostBanks): boolean {
  if (a.bootedBank !== b.bootedBank) return false;
  return ([0, 1] as const).every(
    (i) => a.banks[i].build === b.banks[i].build && a.banks[i].updated === b.banks[i].updated && a.banks[i].bootstate === b.banks[i].bootstate,
  );
}

interface Recording {
  readonly history: HostHistory;
  readonly hostId: string;
  readonly key: string;
  readonly metadata: EventMetadata;
}

/**
 * Makes the history agree with the host before anything is decided: a host whose banks
 * differ from what its history says (first sight, or changed out of band) is recorded
 * as observed (`DriftDetected` + `BankStateObserved`). Returns the snapshot to decide on.
 */
export async function reconcile(r: Recording, host: HostState, snapshot: HostHistorySnapshot): Promise<HostHistorySnapshot> {
  if (snapshot.version > 0 && sameBanks(snapshot.state, observedBanks(host))) return snapshot;
  const key = `${r.key}/observe`;
  if (snapshot.keys.has(key)) return snapshot;
  const command: BankCommand = { type: 'ObserveBanks', data: { bootedBank: host.bootedBank, bank0: host.banks[0].bootCfg, bank1: host.banks[1].bootCfg } };
  return append(r, snapshot, decideOrThrow(r.hostId, command, snapshot.state), key);
}

/**
 * Records the boot the host reports (`RecordBoot`, keyed by its boot id so one boot is one
 * event), or, when the history cannot explain it, what the host shows as an observation.
 */
export async function recordBoot(r: Omit<Recording, 'key'>, host: HostState): Promise<HostHistorySnapshot> {
  const key = `boot/${r.hostId}/${host.bootId}`;
  let snapshot = await r.history.load(r.hostId);
  if (!snapshot.keys.has(key)) {
    const command: BankCommand = { type: 'RecordBoot', data: { bootedBank: host.bootedBank, build: host.runningBuild, bank0: host.banks[0].bootCfg, bank1: host.banks[1].bootCfg } };
    const decision = decide(command, snapshot.state);
    if (decision.ok) snapshot = await append({ ...r, key }, snapshot, decision.events, key);
  }
  return reconcile({ ...r, key }, host, snapshot);
}

export interface DecideAndAct {
  readonly command: BankCommand;
  /** The host already shows what the command does (an earlier attempt got through): do not act again. */
  readonly alreadyDone: (host: HostState) => boolean;
  readonly act: (host: HostState) => Promise<unknown>;
}

/**
 * The one way a command reaches a host: the history is loaded and reconciled with the
 * host, the decider rules (a refusal is final and nothing was touched), the driver acts
 * unless the host already shows the effect, and the decided events are appended.
 * `host` is what the host answered just now (null: a retry found it rebooting from the
 * first attempt's act).
 */
export async function decideAndAct(r: Recording, host: HostState | null, step: DecideAndAct): Promise<readonly BankEvent[]> {
  let snapshot = await r.history.load(r.hostId);
  if (snapshot.keys.has(r.key)) return [];
  // null: the host does not answer because an earlier attempt of this step is rebooting it.
  const done = host === null || step.alreadyDone(host);
  // Our own earlier attempt is not drift: decide against the history as it was.
  if (!done) snapshot = await reconcile(r, host, snapshot);
  const events = decideOrThrow(r.hostId, step.command, snapshot.state);
  if (!done) await step.act(host);
  await append(r, snapshot, events, r.key);
  return events;
}

function decideOrThrow(hostId: string, command: BankCommand, state: HostBanks): readonly BankEvent[] {
  const decision = decide(command, state);
  if (!decision.ok) {
    throw ApplicationFailure.nonRetryable(`host ${hostId}: ${command.type} refused (${decision.refusal.code}): ${decision.refusal.message}`, 'BankCommandRefused');
  }
  return decision.events;
}

/** The history after the append (the snapshot itself when there is nothing to append). */
async function append(r: Recording, snapshot: HostHistorySnapshot, events: readonly BankEvent[], key: string): Promise<HostHistorySnapshot> {
  if (events.length === 0) return snapshot;
  return r.history.append(r.hostId, events, { expectedVersion: snapshot.version, idempotencyKey: key, metadata: r.metadata });
}
