import type { BootCfg } from './boot-cfg';
import { BOOTSTATE_WINDOW_BYTES, formatBootCfg, parseBootCfg } from './boot-cfg';
import { setBootCfgValue } from './boot-cfg-edit';
import { BOOTSTATE_CODE } from './boot-state';

export type BankIndex = 0 | 1;

export interface ScannedBank {
  readonly index: BankIndex;
  /** The file as the loader leaves it (the input itself when nothing was written). */
  readonly text: string | null;
  readonly cfg: BootCfg | null;
  readonly valid: boolean;
  /** A freshly written image, shown as "(Upgrading...)" in the Shift+R list. */
  readonly upgrading: boolean;
  readonly messages: readonly string[];
}

const { VALID, UPGRADING, DIRTY, INVALID } = BOOTSTATE_CODE;

/**
 * One bank as safeboot's bank_scan sees it: decide whether it may boot and advance its
 * bootstate (UPGRADING→DIRTY, DIRTY→INVALID, unknown→INVALID, QuickBoot→INVALID).
 * Never throws: a file the loader cannot use is simply a bank it will not boot.
 */
export function scanBank(index: BankIndex, text: string | null): ScannedBank {
  const tag = `BANK${index}`;
  const unusable = (...messages: string[]): ScannedBank => ({
    index, text, cfg: null, valid: false, upgrading: false, messages,
  });
  if (text === null) return unusable();
  let cfg: BootCfg;
  try {
    cfg = parseBootCfg(text);
  } catch (error) {
    return unusable(`${tag}: no valid configuration file (${error instanceof Error ? error.message : String(error)})`);
  }
  // The loader rewrites bootstate in place within the first 512 bytes; a bank whose state
  // it cannot find there is one it can never advance or invalidate, so it is not used.
  if (cfg.bootstateOffset === undefined) return unusable(`${tag}: boot state not found`);
  if (cfg.bootstateOffset >= BOOTSTATE_WINDOW_BYTES) {
    return unusable(`${tag}: boot state not found in the first ${BOOTSTATE_WINDOW_BYTES} bytes`);
  }

  const messages: string[] = [];
  let valid = true;
  if ((cfg.updated ?? 0) <= 0) {
    valid = false;
    messages.push(`${tag}: invalid update counter`);
  }
  if ((cfg.build ?? '') === '') {
    valid = false;
    messages.push(`${tag}: invalid build number`);
  }

  const state = cfg.bootstate ?? -1;
  let upgrading = state === UPGRADING || state === DIRTY;
  let next = state === UPGRADING ? DIRTY : state === DIRTY || state === INVALID ? INVALID : state === VALID ? VALID : INVALID;
  if (next === INVALID && state !== DIRTY && state !== INVALID) {
    valid = false;
    messages.push(`${tag}: invalid boot state`);
  }
  if ((cfg.quickboot ?? 0) !== 0) {
    // A QuickBoot bank was prepared for one boot that skipped this loader; a normal boot
    // never uses it again, and it is not a failed upgrade.
    valid = false;
    upgrading = false;
    next = INVALID;
    messages.push(`${tag}: one-time QuickBoot bank invalidated`);
  }
  // DIRTY at boot: the first boot of the new image never reached the point where the
  // tools mark it VALID, so the upgrade failed and the loader falls back.
  if (upgrading && (state === DIRTY || !valid)) {
    messages.push(`${tag}: system has failed to upgrade`);
    next = INVALID;
  }

  if (next !== state) {
    messages.push(`${tag}: updating boot state from ${state} to ${next}`);
    cfg = setBootCfgValue(cfg, 'bootstate', String(next));
    text = formatBootCfg(cfg);
  }
  return {
    index, text, cfg, upgrading, messages,
    valid: valid && (next === VALID || next === DIRTY),
  };
}
