import type { BankEvent } from './events';

export type RefusalCode =
  | 'INVALID_BUILD'
  | 'INVALID_SHA256'
  | 'BOOTED_BANK_UNKNOWN'
  | 'BOOTED_BANK_NOT_COMMITTED'
  | 'BUILD_ALREADY_RUNNING'
  | 'UPDATED_NOT_HIGHER'
  | 'IMAGE_NOT_SIGNED'
  | 'IMAGE_SIGNATURE_INVALID'
  | 'DOWNGRADE_NOT_ALLOWED'
  | 'UNEXPECTED_BUILD'
  | 'BANK_NOT_BOOTABLE'
  | 'BANK_NOT_BOOTED'
  | 'BANK_NOT_COMMITTABLE'
  | 'NO_ROLLBACK_IMAGE'
  | 'NOTHING_STAGED';

export interface Refusal {
  readonly code: RefusalCode;
  readonly message: string;
}

/** A refusal is an answer, not an error: workflows branch on it and auditors read it. */
export type Decision =
  | { readonly ok: true; readonly events: readonly BankEvent[] }
  | { readonly ok: false; readonly refusal: Refusal };

export const accept = (...events: BankEvent[]): Decision => ({ ok: true, events });
export const refuse = (code: RefusalCode, message: string): Decision => ({ ok: false, refusal: { code, message } });
