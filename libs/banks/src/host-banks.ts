import type { BankIndex } from './bank-scan';
import { BOOTSTATE_WINDOW_BYTES, parseBootCfg } from './boot-cfg';
import type { BootState } from './boot-state';
import { bootStateFromCode } from './boot-state';
import type { HostEndCause, HostEndState } from './lifecycle-events';

export type { BankIndex } from './bank-scan';

export interface BankImage {
  /** null: empty or unreadable bank. */
  readonly build: string | null;
  readonly updated: number;
  readonly bootstate: BootState;
  /** Digest of the image we staged; unknown (null) for images we only observed. */
  readonly sha256: string | null;
}

export type BootOutcome = 'booted-new-image' | 'rebooted' | 'fell-back' | 'rolled-back';

export interface LastBoot {
  readonly bank: BankIndex;
  readonly build: string | null;
  readonly outcome: BootOutcome;
}

/** Where the host stands after its last upgrade or operator action, as recorded. */
export interface HostStanding {
  /** 'upgrading' while an upgrade runs; otherwise the end state it was left in. */
  readonly state: 'upgrading' | HostEndState;
  /** Why an upgrade ended there; null while upgrading and after an operator's action. */
  readonly cause: HostEndCause | null;
  readonly reason: string;
  /** For a host that needs attention: the action that would settle it. */
  readonly settle: string | null;
  readonly campaignId: string | null;
  readonly toBuild: string | null;
}

/** One thing found changed on the host that its history did not explain. */
export interface DriftDifference {
  readonly subject: string;
  readonly expected: string;
  readonly observed: string;
}

/** A host's two banks as the history says they are, and where its last upgrade left it. */
export interface HostBanks {
  readonly banks: readonly [BankImage, BankImage];
  readonly bootedBank: BankIndex | null;
  readonly lastBoot: LastBoot | null;
  /** null until an upgrade or an operator's action touched the host. */
  readonly standing: HostStanding | null;
  /** An upgrade put the host in maintenance mode and has not taken it out yet. */
  readonly maintenanceMode?: boolean;
  /**
   * What was last found changed out of band (Shift+R at the console, a later fallback, a
   * manual esxcli update, another SSH host key) since Bankswitch last acted on the host;
   * its next upgrade or operator action (`bankswitch host observe` included) clears it.
   */
  readonly drift?: readonly DriftDifference[] | null;
}

export const EMPTY_BANK: BankImage = { build: null, updated: 0, bootstate: 'INVALID', sha256: null };

export function initialState(): HostBanks {
  return { banks: [EMPTY_BANK, EMPTY_BANK], bootedBank: null, lastBoot: null, standing: null };
}

export function otherBank(bank: BankIndex): BankIndex {
  return bank === 0 ? 1 : 0;
}

/** Where the next image goes: the bank the host is not running (`/altbootbank`). */
export function inactiveBank(state: HostBanks): BankIndex | null {
  return state.bootedBank === null ? null : otherBank(state.bootedBank);
}

/** Would the loader boot this bank if it were the only candidate? */
export function isBootable(image: BankImage): boolean {
  return image.bootstate === 'VALID' && image.build !== null && image.build !== '' && image.updated > 0;
}

export interface RollBackCheck {
  readonly possible: boolean;
  readonly toBank?: BankIndex;
  readonly toBuild?: string;
  readonly reason: string;
}

/** One level of rollback: possible only while the inactive bank still holds a VALID image. */
export function canRollBack(state: HostBanks): RollBackCheck {
  const alternate = inactiveBank(state);
  if (alternate === null) return { possible: false, reason: 'the booted bank is not known' };
  const image = state.banks[alternate];
  if (isBootable(image) && image.build !== null) {
    return { possible: true, toBank: alternate, toBuild: image.build, reason: `bank ${alternate} holds VALID build ${image.build}` };
  }
  if (image.build === null) return { possible: false, reason: `bank ${alternate} is empty or unreadable` };
  if (image.bootstate === 'UPGRADING') {
    return { possible: false, reason: `bank ${alternate} holds staged build ${image.build}, the previous image was overwritten` };
  }
  return { possible: false, reason: `bank ${alternate} holds ${image.bootstate} build ${image.build}` };
}

/**
 * The state as read from a host's two boot.cfg files. A file the loader would never boot
 * (unreadable, bootstate missing or beyond 512 bytes, no build or no positive `updated`,
 * a spent QuickBoot bank other than the one running) reads as INVALID so that rollback
 * checks and staging decisions match what the loader does.
 */
export function hostBanksFromBootCfgs(
  bank0Text: string | null,
  bank1Text: string | null,
  bootedBank: BankIndex | null,
): HostBanks {
  const read = (index: BankIndex, text: string | null): BankImage => {
    if (text === null) return EMPTY_BANK;
    try {
      const cfg = parseBootCfg(text);
      const reachable = cfg.bootstateOffset !== undefined && cfg.bootstateOffset < BOOTSTATE_WINDOW_BYTES;
      const spentQuickBoot = (cfg.quickboot ?? 0) !== 0 && index !== bootedBank;
      const build = cfg.build === undefined || cfg.build === '' ? null : cfg.build;
      const updated = cfg.updated ?? 0;
      // safeboot's bank_scan: no build or no positive `updated` counter, and the bank is not a
      // candidate at all, whatever its bootstate says (a truncated or damaged file).
      const eligible = build !== null && updated > 0;
      return {
        build,
        updated,
        bootstate: reachable && !spentQuickBoot && eligible ? bootStateFromCode(cfg.bootstate) : 'INVALID',
        sha256: null,
      };
    } catch {
      return EMPTY_BANK;
    }
  };
  return { banks: [read(0, bank0Text), read(1, bank1Text)], bootedBank, lastBoot: null, standing: null };
}
