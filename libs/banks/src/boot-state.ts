/**
 * The loader's `bootstate` values (safeboot/bootbank.c). The names are what events and
 * projections carry; the numbers are what boot.cfg holds.
 */
export const BOOT_STATES = ['VALID', 'UPGRADING', 'DIRTY', 'INVALID'] as const;
export type BootState = (typeof BOOT_STATES)[number];

export const BOOTSTATE_CODE: Readonly<Record<BootState, number>> = { VALID: 0, UPGRADING: 1, DIRTY: 2, INVALID: 3 };

/** Missing or unknown values are invalid to the loader, so they read as INVALID here. */
export function bootStateFromCode(code: number | undefined): BootState {
  return BOOT_STATES[code ?? -1] ?? 'INVALID';
}
