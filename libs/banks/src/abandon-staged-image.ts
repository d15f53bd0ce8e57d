import type { BankCommandOf } from './commands';
import type { Decision } from './decision';
import { accept, refuse } from './decision';
import type { HostBanks } from './host-banks';
import { inactiveBank } from './host-banks';

/**
 * Gives up on an image that was staged but never booted (an upgrade cancelled before its
 * reboot): the bank is marked INVALID so that no later reboot boots an unverified image.
 * Nothing to do when the inactive bank holds no staged image.
 */
export function abandonStagedImage(command: BankCommandOf<'AbandonStagedImage'>, state: HostBanks): Decision {
  const bank = inactiveBank(state);
  if (bank === null) return refuse('BOOTED_BANK_UNKNOWN', 'the booted bank is not known, so neither is the staged one');
  const image = state.banks[bank];
  if (image.bootstate !== 'UPGRADING') return accept();
  return accept({ type: 'BankInvalidated', data: { bank, build: image.build, reason: command.data.reason } });
}
