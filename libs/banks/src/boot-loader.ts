import { formatBootCfg } from './boot-cfg';
import { setBootCfgValue } from './boot-cfg-edit';
import type { BankIndex, ScannedBank } from './bank-scan';
import { scanBank } from './bank-scan';
import { BOOTSTATE_CODE } from './boot-state';

export interface BootLoaderOptions {
  /** The operator held Shift+R at the console: roll back to the other image. */
  readonly shiftR?: boolean;
}

export interface BootLoaderResult {
  readonly boots: BankIndex | null;
  readonly bank0: string | null;
  readonly bank1: string | null;
  readonly messages: string[];
}

/**
 * One boot by the ESXi loader (safeboot), as a pure function of the two banks' boot.cfg
 * texts. The simulated hosts and the tests use it so that fallbacks and rollbacks follow
 * the real rules instead of what the engine hopes will happen.
 */
export function runBootLoader(
  bank0: string | null,
  bank1: string | null,
  options: BootLoaderOptions = {},
): BootLoaderResult {
  let banks: [ScannedBank, ScannedBank] = [scanBank(0, bank0), scanBank(1, bank1)];
  const messages = banks.flatMap((bank) => bank.messages);

  if (options.shiftR) {
    const target = selectDefault(banks);
    const valid = banks.filter((bank) => bank.valid);
    messages.push('Installed hypervisors:');
    for (const bank of valid) {
      const note = bank.upgrading ? ' (Upgrading...)' : bank === target ? ' (Default)' : '';
      messages.push(`   BANK${bank.index}: ${bank.cfg?.build ?? ''}${note}`);
    }
    if (target && valid.length >= 2) {
      // Only one level of rollback exists: the default image is given up for good.
      messages.push(`Rolling back (invalidating BANK${target.index})`);
      banks = banks.map((bank) => (bank === target ? invalidate(bank) : bank)) as [ScannedBank, ScannedBank];
    } else {
      messages.push('No alternate hypervisor to roll back to');
    }
  }

  const chosen = selectDefault(banks);
  messages.push(chosen ? `BANK${chosen.index}: booting ${chosen.cfg?.build ?? ''}` : 'No bootable hypervisor found');
  return { boots: chosen?.index ?? null, bank0: banks[0].text, bank1: banks[1].text, messages };
}

/**
 * Highest `updated` wins. Tie rule, as safeboot's bank_auto_select: the comparison is a
 * strict `>` over banks in scan order, so on equal `updated` the first bank (bank 0) boots.
 */
function selectDefault(banks: readonly ScannedBank[]): ScannedBank | undefined {
  let best: ScannedBank | undefined;
  for (const bank of banks) {
    if (bank.valid && (best === undefined || (bank.cfg?.updated ?? 0) > (best.cfg?.updated ?? 0))) best = bank;
  }
  return best;
}

function invalidate(bank: ScannedBank): ScannedBank {
  if (!bank.cfg) return { ...bank, valid: false };
  const cfg = setBootCfgValue(bank.cfg, 'bootstate', String(BOOTSTATE_CODE.INVALID));
  return { ...bank, cfg, text: formatBootCfg(cfg), valid: false };
}
