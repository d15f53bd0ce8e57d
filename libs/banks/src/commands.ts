import type { BankIndex } from './bank-scan';

/**
 * What the worker found when it checked the image's signature against its trusted keys
 * (the check itself needs crypto and the keys, so it happens in the activity; the
 * decider rules on its outcome):
 * - verified: `target.signature` verifies the image's SHA-256 under the trusted key `keyId`;
 * - not-required: the worker trusts no keys, so images need no signature (one given is not checked);
 * - missing: the worker trusts keys, and the image carries no signature;
 * - invalid: a signature was given and verifies under none of the trusted keys (`detail` says why).
 */
export type ImageSignatureCheck =
  | { readonly status: 'verified'; readonly keyId: string }
  | { readonly status: 'not-required' }
  | { readonly status: 'missing'; readonly trustedKeys: readonly string[] }
  | { readonly status: 'invalid'; readonly detail: string };

/** What the engine asks of a host's banks; `decide` accepts or refuses each. */
export type BankCommand =
  | {
      readonly type: 'StageImage';
      /**
       * `updated` defaults to the booted bank's + 1, as esxcli does. `waiveUncommittedRunning`:
       * the operator accepts staging over the only valid image while the running one,
       * booted but never committed (DIRTY), is not known to be good.
       */
      readonly data: {
        readonly build: string;
        readonly sha256: string;
        readonly updated?: number;
        readonly waiveUncommittedRunning?: boolean;
        /** The signature check's outcome; absent: not checked (callers that predate the policy). */
        readonly signature?: ImageSignatureCheck;
        /** A build older than the running one is staged only with this, and its reason is recorded. */
        readonly allowDowngrade?: { readonly reason: string };
      };
    }
  /** Reboot into the staged image: only while the inactive bank holds one (UPGRADING). */
  | { readonly type: 'RebootIntoStaged'; readonly data: { readonly build: string } }
  | {
      readonly type: 'RecordBoot';
      /**
       * What the host reported after a reboot; `bank0`/`bank1` are the boot.cfg texts read
       * afterwards, when available, to catch drift in the same step.
       */
      readonly data: {
        readonly bootedBank: BankIndex;
        readonly build: string;
        readonly bank0?: string | null;
        readonly bank1?: string | null;
      };
    }
  | { readonly type: 'CommitBank'; readonly data: { readonly bank: BankIndex } }
  | { readonly type: 'RollBack'; readonly data: { readonly reason?: string } }
  | { readonly type: 'AbandonStagedImage'; readonly data: { readonly reason: string } }
  | {
      readonly type: 'ObserveBanks';
      readonly data: { readonly bootedBank: BankIndex | null; readonly bank0: string | null; readonly bank1: string | null };
    };

export type BankCommandOf<T extends BankCommand['type']> = Extract<BankCommand, { type: T }>;
