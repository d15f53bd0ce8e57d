import type { HostBanks } from './host-banks';
import { canRollBack, inactiveBank } from './host-banks';
import type { HostEndState } from './lifecycle-events';

/**
 * What it takes to leave a host decided once an upgrade stops, for whatever reason
 * (a failed step, a cancellation, an engine that lost track): read from its banks as
 * just observed, against the build the upgrade was installing.
 */
export type Settlement =
  /** Nothing left to do: the host already is in this end state. */
  | { readonly kind: 'ended'; readonly endState: HostEndState; readonly detail: string }
  /** A staged image that never booted: invalidate its bank (the host keeps running the previous image). */
  | { readonly kind: 'abandon-stage'; readonly detail: string }
  /** The new image booted but was never verified, and the previous one is still there: roll back to it. */
  | { readonly kind: 'roll-back'; readonly detail: string }
  /** The banks do not allow the engine to decide alone: `settle` says what would. */
  | { readonly kind: 'attention'; readonly detail: string; readonly settle: string };

export interface SettlementOptions {
  /**
   * Whether the upgrade verified the new image. `false` (known not verified) matters for
   * hosts that mark a bank VALID themselves as it boots (ESXi does): such a host running
   * the new image VALID is rolled back all the same. Unknown (undefined): VALID is taken
   * as committed.
   */
  readonly verified?: boolean;
}

export function settlementFor(state: HostBanks, targetBuild: string, hostId: string, options: SettlementOptions = {}): Settlement {
  const booted = state.bootedBank;
  const alternateIndex = inactiveBank(state);
  if (booted === null || alternateIndex === null) {
    return { kind: 'attention', detail: 'the booted bank is not known', settle: `observe the host: \`bankswitch host observe ${hostId}\`` };
  }
  const running = state.banks[booted];
  const alternate = state.banks[alternateIndex];
  const runs = `runs ${running.build ?? 'an unreadable image'} from bank ${booted} (${running.bootstate})`;

  if (running.build === targetBuild) {
    const back = canRollBack(state);
    if (running.bootstate === 'VALID' && options.verified === false) {
      if (back.possible) {
        return { kind: 'roll-back', detail: `${runs}, marked VALID by the host as it booted but never verified; bank ${back.toBank} still holds ${back.toBuild}` };
      }
      return {
        kind: 'attention',
        detail: `${runs}, marked VALID by the host as it booted but never verified, and it cannot roll back (${back.reason})`,
        settle: `check the host's health by hand: if it is sound, nothing more is needed; otherwise reinstall the previous build`,
      };
    }
    if (running.bootstate === 'VALID') return { kind: 'ended', endState: 'upgraded', detail: `${runs}: the new image is committed` };
    if (running.bootstate === 'DIRTY' && back.possible) {
      return { kind: 'roll-back', detail: `${runs}, booted but not verified; bank ${back.toBank} still holds ${back.toBuild}` };
    }
    return {
      kind: 'attention',
      detail: `${runs}, not verified, and it cannot roll back (${back.reason})`,
      settle: `check the host's health by hand, then commit it (\`bankswitch host commit ${hostId}\`) or reinstall the previous build`,
    };
  }
  if (alternate.build === targetBuild) {
    if (alternate.bootstate === 'UPGRADING') {
      return { kind: 'abandon-stage', detail: `${runs}; bank ${alternateIndex} holds ${targetBuild} staged, never booted` };
    }
    if (alternate.bootstate === 'INVALID') {
      if (state.lastBoot?.outcome === 'fell-back') {
        return { kind: 'ended', endState: 'fell-back', detail: `${runs}: the loader gave up on ${targetBuild} in bank ${alternateIndex} (INVALID)` };
      }
      return { kind: 'ended', endState: 'rolled-back', detail: `${runs}; ${targetBuild} in bank ${alternateIndex} is INVALID` };
    }
    return {
      kind: 'attention',
      detail: `${runs} although bank ${alternateIndex} holds ${targetBuild} (${alternate.bootstate}): the other bank was chosen at the console or the loader`,
      settle: `check at the console which build the host should run, then observe it again (\`bankswitch host observe ${hostId}\`)`,
    };
  }
  if (running.bootstate === 'VALID' || running.bootstate === 'DIRTY') {
    return { kind: 'ended', endState: 'untouched', detail: `${runs}; nothing of ${targetBuild} is on the host` };
  }
  return {
    kind: 'attention',
    detail: `${runs}: its running bank's boot.cfg does not read as bootable`,
    settle: `check /bootbank/boot.cfg on the host, then observe it again (\`bankswitch host observe ${hostId}\`)`,
  };
}
