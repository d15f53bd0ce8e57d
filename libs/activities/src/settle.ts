import { settlementFor } from '@bankswitch/banks';
import type { HostDriver, HostState } from '@bankswitch/host-driver';
import { activityKey, metadataFor } from './activity-context';
import { linesSince } from './await-boot';
import type { HostStep, Settled, TargetImage } from './contracts';
import { describeBanks } from './describe-banks';
import { decideAndAct, observedBanks, reconcile, recordBoot } from './host-record';
import { pollHost } from './poll-host';
import type { ActivityDependencies } from './ports';

type Input = HostStep & {
  target: TargetImage;
  /** Why the upgrade stopped (a failed step, or a cancellation): recorded with what is undone. */
  reason: string;
  /** How long to wait for the host to answer before calling it unreachable. */
  waitMs: number;
  /** How long a rollback's reboot may take. */
  rebootTimeoutMs: number;
  /** The last boot the upgrade saw (its precheck's, or the boot it awaited): a different one is a boot to record. */
  knownBootId?: string;
  /** Whether the upgrade verified the new image: a host that marked it VALID itself is rolled back when not. */
  verified?: boolean;
};

/**
 * Leaves a host whose upgrade stopped (failed, cancelled, lost) decided: waits until it
 * answers, records what it shows, then does what its banks call for, through the
 * decider: a staged image that never booted is abandoned (INVALID), a new image that
 * booted unverified is rolled back while the previous one is there, and otherwise the
 * host already is in an end state. A host that does not answer, or whose banks leave no
 * safe move, needs attention: what was last seen, and what would settle it.
 */
export async function settleHost(deps: ActivityDependencies, input: Input): Promise<Settled> {
  const driver = await deps.driverFor(input.hostId);
  const pollMs = deps.pollMs ?? 250;
  const metadata = metadataFor(input);
  const host = await poll(driver, input.waitMs, pollMs, () => true);
  if (!host) return unreachable(deps, input, input.waitMs);

  const verification = input.verified === undefined ? {} : { verified: input.verified };
  let state = (await recordWhatItShows(deps, input, host)).state;
  let settlement = settlementFor(state, input.target.build, input.hostId, verification);
  const recording = (suffix: string) => ({ history: deps.history, hostId: input.hostId, key: activityKey(suffix), metadata });
  const bootLog: string[] = [];
  let done = '';

  if (settlement.kind === 'abandon-stage') {
    done = `found that it ${settlement.detail}; abandoned it (its bank is now INVALID); now `;
    await decideAndAct(recording('abandon'), host, {
      command: { type: 'AbandonStagedImage', data: { reason: input.reason } },
      alreadyDone: (h) => observedBanks(h).banks[h.bootedBank === 0 ? 1 : 0].bootstate !== 'UPGRADING',
      act: () => driver.abandonStage(),
    });
    state = (await deps.history.load(input.hostId)).state;
    settlement = settlementFor(state, input.target.build, input.hostId, verification);
  } else if (settlement.kind === 'roll-back') {
    done = `found that it ${settlement.detail}; rolled it back; now `;
    await decideAndAct(recording('rollback'), host, {
      command: { type: 'RollBack', data: { reason: input.reason } },
      alreadyDone: () => false,
      act: () => driver.rollBack(),
    });
    const back = await poll(driver, input.rebootTimeoutMs, pollMs, (h) => h.bootId !== host.bootId);
    if (!back) return unreachable(deps, input, input.rebootTimeoutMs, 'after the rollback reboot');
    bootLog.push(...linesSince(await driver.bootLog({ limit: 10 }).catch(() => []), host.bootId));
    state = (await recordBoot({ history: deps.history, hostId: input.hostId, metadata }, back)).state;
    settlement = settlementFor(state, input.target.build, input.hostId, verification);
  }
  const banks = describeBanks(state);
  if (settlement.kind === 'ended') return { endState: settlement.endState, detail: `${done}${settlement.detail} (${banks})`, unreachable: false, bootLog };
  if (settlement.kind === 'attention') return { endState: 'needs-attention', detail: `${done}${settlement.detail} (${banks})`, settle: settlement.settle, unreachable: false, bootLog };
  // An abandon or a rollback that left the host where it was: say so rather than loop.
  return { endState: 'needs-attention', detail: `${settlement.detail}, still after trying (${banks})`, settle: `observe the host (\`bankswitch host observe ${input.hostId}\`) and settle it by hand`, unreachable: false, bootLog };
}

/**
 * A boot the upgrade has not seen is recorded as a boot (it may have fallen back, or
 * booted the new image late); otherwise only what differs from the history is recorded,
 * as an observation. Recording the same boot as a new one would read a staged image as
 * a failed boot.
 */
async function recordWhatItShows(deps: ActivityDependencies, input: Input, host: HostState) {
  const metadata = metadataFor(input);
  if (input.knownBootId !== undefined && host.bootId !== input.knownBootId) return recordBoot({ history: deps.history, hostId: input.hostId, metadata }, host);
  return reconcile({ history: deps.history, hostId: input.hostId, key: activityKey('seen'), metadata }, host, await deps.history.load(input.hostId));
}

async function unreachable(deps: ActivityDependencies, input: Input, waitedMs: number, when = ''): Promise<Settled> {
  const { state } = await deps.history.load(input.hostId);
  return {
    endState: 'needs-attention',
    unreachable: true,
    bootLog: [],
    detail: `${waitedMs > 0 ? `the host did not answer within ${Math.round(waitedMs / 1000)} s` : 'the host still does not answer'}${when ? ` ${when}` : ''}; last recorded: ${describeBanks(state)}`,
    settle: `bring the host back (check its console, or power-cycle it: the loader falls back by itself from an image that does not boot); once it answers, Bankswitch settles it by itself while it watches (or run \`bankswitch host observe ${input.hostId}\` then)`,
  };
}

async function poll(driver: HostDriver, timeoutMs: number, pollMs: number, until: (state: HostState) => boolean): Promise<HostState | undefined> {
  return (await pollHost(driver, { timeoutMs, pollMs, until, waitingFor: 'the host, to settle it' })).state;
}
