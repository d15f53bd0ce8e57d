import type { BankCommandOf } from './commands';
import type { Decision } from './decision';
import { accept, refuse } from './decision';
import { observationEvents } from './drift';
import type { BankEvent } from './events';
import { evolveAll } from './evolve';
import type { HostBanks } from './host-banks';
import { hostBanksFromBootCfgs, otherBank } from './host-banks';

/**
 * Records which bank the host came up on after a reboot, read through the loader's rules:
 * a new image (UPGRADING or DIRTY) in the other bank means the loader gave up on it;
 * a DIRTY bank that booted again must have been marked VALID by the host in between.
 */
export function recordBoot(command: BankCommandOf<'RecordBoot'>, state: HostBanks): Decision {
  const { bootedBank: bank, build } = command.data;
  const image = state.banks[bank];
  const other = state.banks[otherBank(bank)];
  if (image.build !== build) {
    return refuse(
      'UNEXPECTED_BUILD',
      `the host runs ${build} from bank ${bank}, which holds ${image.build ?? 'nothing'}; observe the banks to record the drift`,
    );
  }
  if (image.bootstate === 'INVALID') {
    return refuse('BANK_NOT_BOOTABLE', `bank ${bank} is INVALID, the loader cannot have booted it; observe the banks`);
  }

  const events: BankEvent[] = [];
  const previousBank = state.bootedBank;
  if (other.bootstate === 'UPGRADING' || other.bootstate === 'DIRTY') {
    events.push({ type: 'BootFellBack', data: { failedBank: otherBank(bank), failedBuild: other.build, bank, build } });
  } else {
    if (image.bootstate === 'DIRTY') events.push({ type: 'BankCommitted', data: { bank, build, updated: image.updated } });
    events.push({
      type: 'BankBooted',
      data: { bank, build, updated: image.updated, firstBoot: image.bootstate === 'UPGRADING', previousBank },
    });
  }

  const { bank0, bank1 } = command.data;
  if (bank0 !== undefined && bank1 !== undefined) {
    const observed = hostBanksFromBootCfgs(bank0, bank1, bank);
    events.push(...observationEvents(evolveAll(state, events), observed, { always: false }));
  }
  return accept(...events);
}
