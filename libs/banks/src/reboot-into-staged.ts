import type { BankCommandOf } from './commands';
import type { Decision } from './decision';
import { accept, refuse } from './decision';
import type { HostBanks } from './host-banks';
import { inactiveBank } from './host-banks';

/**
 * A reboot is the step that hands the host to the loader: it is asked for only while the
 * inactive bank holds the staged build (UPGRADING), so that a reboot never happens on a
 * host whose staged image was abandoned or never written. It changes no bank by itself
 * (the boot that follows is recorded by RecordBoot), so it produces no event.
 */
export function rebootIntoStaged(command: BankCommandOf<'RebootIntoStaged'>, state: HostBanks): Decision {
  const bank = inactiveBank(state);
  if (bank === null) return refuse('BOOTED_BANK_UNKNOWN', 'the booted bank is not known; observe the banks first');
  const staged = state.banks[bank];
  if (staged.bootstate !== 'UPGRADING' || staged.build !== command.data.build) {
    return refuse('NOTHING_STAGED', `bank ${bank} holds ${staged.build ?? 'nothing'} (${staged.bootstate}), not ${command.data.build} staged for its first boot; a reboot would not boot it`);
  }
  return accept();
}
