import type { HostBanks } from '@bankswitch/banks';

/** A host's banks in one line, as operators read them: "bank 0 8.0.2 VALID (booted), bank 1 8.0.3 UPGRADING". */
export function describeBanks(state: HostBanks): string {
  if (state.bootedBank === null && state.banks.every((b) => b.build === null)) return 'nothing recorded yet';
  return ([0, 1] as const)
    .map((i) => `bank ${i} ${state.banks[i].build ?? 'empty'} ${state.banks[i].bootstate}${state.bootedBank === i ? ' (booted)' : ''}`)
    .join(', ');
}
