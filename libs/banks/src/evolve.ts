import type { HostEvent } from './events';
import type { BankImage, BankIndex, HostBanks } from './host-banks';

/**
 * Folds one event into the state. Total and pure: the event store replays whole
 * histories through it, and an event type it does not know leaves the state unchanged.
 */
export function evolve(state: HostBanks, event: HostEvent): HostBanks {
  switch (event.type) {
    case 'ImageStaged': {
      const { bank, build, sha256, updated } = event.data;
      return withBank(state, bank, { build, updated, sha256, bootstate: 'UPGRADING' });
    }
    case 'BankBooted': {
      const { bank, build, firstBoot } = event.data;
      // The loader turns UPGRADING into DIRTY on the way up; the tools commit it later.
      const booted = firstBoot ? withBank(state, bank, { ...state.banks[bank], bootstate: 'DIRTY' }) : state;
      return { ...booted, bootedBank: bank, lastBoot: { bank, build, outcome: firstBoot ? 'booted-new-image' : 'rebooted' } };
    }
    case 'BootFellBack': {
      const { failedBank, bank, build } = event.data;
      const failed = withBank(state, failedBank, { ...state.banks[failedBank], bootstate: 'INVALID' });
      return { ...failed, bootedBank: bank, lastBoot: { bank, build, outcome: 'fell-back' } };
    }
    case 'BankCommitted':
      return withBank(state, event.data.bank, { ...state.banks[event.data.bank], bootstate: 'VALID' });
    case 'BankInvalidated':
      return withBank(state, event.data.bank, { ...state.banks[event.data.bank], bootstate: 'INVALID' });
    case 'RolledBack': {
      const { toBank, toBuild } = event.data;
      return { ...state, bootedBank: toBank, lastBoot: { bank: toBank, build: toBuild, outcome: 'rolled-back' } };
    }
    case 'DriftDetected':
      // The BankStateObserved that follows carries the banks; this says what changed, until someone acts on the host.
      return { ...state, drift: event.data.differences };
    case 'HostKeyMismatch':
      return { ...state, drift: [{ subject: 'ssh host key', expected: event.data.pinned, observed: event.data.presented }] };
    case 'BankStateObserved': {
      const { banks, bootedBank } = event.data;
      // boot.cfg carries no digest: keep ours while the bank still holds the same build.
      const observed = (index: BankIndex): BankImage => {
        const seen = banks[index];
        const known = state.banks[index];
        return { ...seen, sha256: seen.build !== null && seen.build === known.build ? known.sha256 : null };
      };
      return { ...state, banks: [observed(0), observed(1)], bootedBank };
    }
    case 'UpgradeStarted': {
      const { campaignId, toBuild } = event.data;
      return { ...state, drift: null, standing: { state: 'upgrading', cause: null, reason: `upgrading to ${toBuild}`, settle: null, campaignId, toBuild } };
    }
    case 'UpgradeEnded': {
      const { campaignId, toBuild, endState, cause, reason, settle } = event.data;
      return { ...state, standing: { state: endState, cause, reason, settle, campaignId, toBuild } };
    }
    case 'MaintenanceModeEntered':
      return { ...state, maintenanceMode: true };
    case 'MaintenanceModeExited':
      return { ...state, maintenanceMode: false };
    case 'HostActionTaken': {
      const { action, endState, detail, settle } = event.data;
      const before = state.standing;
      return {
        ...state,
        drift: null,
        // The build the last upgrade was after stays (its end states read against it); no campaign acted.
        standing: { state: endState, cause: null, reason: `${action} by an operator: ${detail}`, settle, campaignId: null, toBuild: before?.toBuild ?? null },
      };
    }
    default:
      return state;
  }
}

export function evolveAll(state: HostBanks, events: readonly HostEvent[]): HostBanks {
  return events.reduce(evolve, state);
}

function withBank(state: HostBanks, bank: BankIndex, image: BankImage): HostBanks {
  const banks: readonly [BankImage, BankImage] = bank === 0 ? [image, state.banks[1]] : [state.banks[0], image];
  return { ...state, banks };
}
