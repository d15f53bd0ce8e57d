import type { BankCommandOf } from './commands';
import type { Decision } from './decision';
import { accept, refuse } from './decision';
import type { HostBanks } from './host-banks';

/** Only the bank the host is running can be declared good; committing twice is a no-op. */
export function commitBank(command: BankCommandOf<'CommitBank'>, state: HostBanks): Decision {
  const { bank } = command.data;
  if (state.bootedBank !== bank) {
    return refuse('BANK_NOT_BOOTED', `bank ${bank} is not the booted bank (${state.bootedBank ?? 'unknown'}); only a bank that booted can be committed`);
  }
  const image = state.banks[bank];
  if (image.bootstate === 'VALID') return accept();
  if (image.bootstate !== 'DIRTY' || image.build === null) {
    return refuse('BANK_NOT_COMMITTABLE', `bank ${bank} is ${image.bootstate}; only a DIRTY bank that booted can be committed`);
  }
  return accept({ type: 'BankCommitted', data: { bank, build: image.build, updated: image.updated } });
}
