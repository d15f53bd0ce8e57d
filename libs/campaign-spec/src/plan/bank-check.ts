// What staging the target would do to one host's banks (esxi-banks.md): staging
// overwrites the alternate bank, so a valid image there is lost; after the reboot the
// only rollback is the image booted today, which is known-good only if it was committed.
import type { HostBankState, PlanWarning } from './types';

export type BankVerdict =
  | { readonly kind: 'skip'; readonly warning: PlanWarning }
  | { readonly kind: 'upgrade'; readonly warning?: PlanWarning; readonly needsWaiver: boolean };

export function checkHostBanks(host: { id: string; name: string }, banks: HostBankState, targetBuild: string): BankVerdict {
  const { bootedBuild: booted, bootedBankCommitted: committed } = banks;
  const lost = banks.alternateValid && banks.alternateBuild !== null ? banks.alternateBuild : null;
  const at = (kind: PlanWarning['kind'], message: string): PlanWarning => ({ kind, hostId: host.id, message: `${host.name}: ${message}` });

  if (booted === targetBuild) {
    const pending = committed ? '' : ' (booted but not yet committed: verify and commit it outside this campaign)';
    return { kind: 'skip', warning: at('already-on-target', `already boots ${targetBuild}${pending}; skipped`) };
  }
  if (!committed) {
    const message = lost
      ? `staging overwrites the alternate bank and loses ${lost}, the host's only known-good image, because the booted ${booted} was never committed; ` +
        `if the upgrade fails there is nothing known-good to fall back to. Verify and commit ${booted}, or roll back to ${lost}, before upgrading`
      : `the booted ${booted} was never committed and the alternate bank holds no valid image, so after the upgrade there is no known-good image to roll back to. ` +
        `Verify and commit ${booted} before upgrading`;
    return { kind: 'upgrade', needsWaiver: true, warning: at('no-known-good-image', message) };
  }
  if (lost) {
    const message =
      `staging overwrites the alternate bank and loses ${lost}, today its only rollback image; afterwards the host can roll back only to ${booted}. ` +
      `Leave the host out of this campaign if ${lost} must stay available`;
    return { kind: 'upgrade', needsWaiver: false, warning: at('rollback-image-overwritten', message) };
  }
  return { kind: 'upgrade', needsWaiver: false };
}
