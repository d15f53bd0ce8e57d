import { z } from 'zod';
import { BOOT_STATES } from './boot-state';
import { lifecycleEventDataSchemas, lifecycleEventSchema, type LifecycleEvent } from './lifecycle-events';

/**
 * What happened to a host's boot banks, as auditors read it. Each event is
 * `{ type, data }`; the zod schemas let the event store validate payloads it reads
 * back, and the TypeScript types are inferred from them so the two cannot drift apart.
 */
const bank = z.union([z.literal(0), z.literal(1)]);
const build = z.string().min(1);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'expected a lowercase hex SHA-256');
const bootstate = z.enum(BOOT_STATES);

const observedBank = z
  .object({ build: z.string().nullable(), updated: z.number().int(), bootstate })
  .readonly();

export const bankEventDataSchemas = {
  /** A new image was written into the inactive bank (UPGRADING); whatever it held is gone. */
  ImageStaged: z
    .object({
      bank,
      build,
      sha256,
      updated: z.number().int().positive(),
      replacedBuild: z.string().nullable(),
      /** The replaced image was a bootable rollback target: the last known-good image is lost. */
      rollbackImageLost: z.boolean(),
      /** The build replaced a newer running one, allowed by the campaign (`target.allowDowngrade`) for this reason. */
      downgrade: z.object({ fromBuild: build, reason: z.string().min(1) }).readonly().optional(),
      /** The image's signature verified under this trusted key of the worker (absent: no signature was required). */
      signedBy: z.string().min(1).optional(),
    })
    .readonly(),
  /** The host came up on this bank; `firstBoot` means a staged image booted (now DIRTY). */
  BankBooted: z
    .object({ bank, build, updated: z.number().int(), firstBoot: z.boolean(), previousBank: bank.nullable() })
    .readonly(),
  /** The loader gave up on the new image (now INVALID) and the host came back on the old one. */
  BootFellBack: z
    .object({ failedBank: bank, failedBuild: z.string().nullable(), bank, build })
    .readonly(),
  /** The booted bank was marked VALID: it is the known-good image from now on. */
  BankCommitted: z.object({ bank, build, updated: z.number().int() }).readonly(),
  /** The bank was marked INVALID on purpose (e.g. to roll back); the loader will never boot it. */
  BankInvalidated: z.object({ bank, build: z.string().nullable(), reason: z.string() }).readonly(),
  /** The host now runs the previous image again; no further rollback is possible. */
  RolledBack: z.object({ fromBank: bank, fromBuild: z.string().nullable(), toBank: bank, toBuild: build }).readonly(),
  /** The host's banks differ from what the history says; a BankStateObserved follows. */
  DriftDetected: z
    .object({
      differences: z
        .array(z.object({ subject: z.string(), expected: z.string(), observed: z.string() }).readonly())
        .readonly(),
    })
    .readonly(),
  /** The banks as read from the host; from here on they are the truth. */
  BankStateObserved: z
    .object({ bootedBank: bank.nullable(), banks: z.tuple([observedBank, observedBank]).readonly() })
    .readonly(),
} as const;

export type BankEventType = keyof typeof bankEventDataSchemas;

export const BANK_EVENT_TYPES = Object.keys(bankEventDataSchemas) as readonly BankEventType[];

const event = <T extends BankEventType>(type: T) =>
  z.object({ type: z.literal(type), data: bankEventDataSchemas[type] }).readonly();

/** Full event schemas (`{ type, data }`), keyed by type. */
export const bankEventSchemas = {
  ImageStaged: event('ImageStaged'),
  BankBooted: event('BankBooted'),
  BootFellBack: event('BootFellBack'),
  BankCommitted: event('BankCommitted'),
  BankInvalidated: event('BankInvalidated'),
  RolledBack: event('RolledBack'),
  DriftDetected: event('DriftDetected'),
  BankStateObserved: event('BankStateObserved'),
} as const satisfies Record<BankEventType, unknown>;

export const bankEventSchema = z.discriminatedUnion('type', [
  bankEventSchemas.ImageStaged,
  bankEventSchemas.BankBooted,
  bankEventSchemas.BootFellBack,
  bankEventSchemas.BankCommitted,
  bankEventSchemas.BankInvalidated,
  bankEventSchemas.RolledBack,
  bankEventSchemas.DriftDetected,
  bankEventSchemas.BankStateObserved,
]);

export type BankEvent = z.infer<typeof bankEventSchema>;
export type BankEventOf<T extends BankEventType> = Extract<BankEvent, { type: T }>;
export type ImageStaged = BankEventOf<'ImageStaged'>;
export type BankBooted = BankEventOf<'BankBooted'>;
export type BootFellBack = BankEventOf<'BootFellBack'>;
export type BankCommitted = BankEventOf<'BankCommitted'>;
export type BankInvalidated = BankEventOf<'BankInvalidated'>;
export type RolledBack = BankEventOf<'RolledBack'>;
export type DriftDetected = BankEventOf<'DriftDetected'>;
export type BankStateObserved = BankEventOf<'BankStateObserved'>;

/** Everything a host's stream holds: its bank transitions and its upgrade lifecycle. */
export const hostEventDataSchemas = { ...bankEventDataSchemas, ...lifecycleEventDataSchemas } as const;
export type HostEventType = keyof typeof hostEventDataSchemas;
export const hostEventSchema = z.union([bankEventSchema, lifecycleEventSchema]);
export type HostEvent = BankEvent | LifecycleEvent;
