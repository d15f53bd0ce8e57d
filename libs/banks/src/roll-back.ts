import type { BankCommandOf } from './commands';
import type { Decision } from './decision';
import { accept, refuse } from './decision';
import type { HostBanks } from './host-banks';
import { canRollBack } from './host-banks';

/**
 * What Shift+R does, on purpose: invalidate the running bank so the loader boots the
 * other one. Irreversible for that image, and only possible while the other bank still
 * holds a VALID image.
 */
export function rollBack(command: BankCommandOf<'RollBack'>, state: HostBanks): Decision {
  const check = canRollBack(state);
  if (state.bootedBank === null) return refuse('BOOTED_BANK_UNKNOWN', check.reason);
  if (!check.possible || check.toBank === undefined || check.toBuild === undefined) {
    return refuse('NO_ROLLBACK_IMAGE', `cannot roll back: ${check.reason}`);
  }
  const fromBank = state.bootedBank;
  const fromBuild = state.banks[fromBank].build;
  return accept(
    { type: 'BankInvalidated', data: { bank: fromBank, build: fromBuild, reason: command.data.reason ?? 'rollback' } },
    { type: 'RolledBack', data: { fromBank, fromBuild, toBank: check.toBank, toBuild: check.toBuild } },
  );
}
