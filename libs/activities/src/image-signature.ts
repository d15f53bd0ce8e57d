// The image-signature policy's crypto: does `target.signature` (base64 Ed25519 over the
// image's 32-byte SHA-256 digest) verify under one of the worker's trusted keys? The
// outcome is a fact the bank decider rules on (ImageSignatureCheck); this file decides nothing.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { ImageSignatureCheck } from '@bankswitch/banks';

/** A public key the worker trusts to sign images; `id` names it in events and refusals (its file name). */
export interface TrustedImageKey {
  readonly id: string;
  readonly key: KeyObject;
}

/** An Ed25519 public key from PEM text; throws a message naming `id` when it is not one. */
export function trustedImageKey(id: string, pem: string): TrustedImageKey {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (error) {
    throw new Error(`trusted image key ${id} is not a PEM public key (${(error as Error).message}); give the public half, e.g. \`openssl pkey -in key.pem -pubout\``);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`trusted image key ${id} is a ${key.asymmetricKeyType ?? 'unknown'} key; image signatures are Ed25519`);
  return { id, key };
}

/**
 * With trusted keys, every image must be signed by one of them; with none, no signature
 * is required and one given is not checked (nothing to check it against).
 */
export function checkImageSignature(sha256: string, signature: string | undefined, keys: readonly TrustedImageKey[]): ImageSignatureCheck {
  if (keys.length === 0) return { status: 'not-required' };
  if (signature === undefined || signature.trim() === '') return { status: 'missing', trustedKeys: keys.map((k) => k.id) };
  const bytes = Buffer.from(signature.trim(), 'base64');
  if (bytes.length !== 64) return { status: 'invalid', detail: `it is ${bytes.length} bytes, an Ed25519 signature is 64 (base64)` };
  const digest = Buffer.from(sha256, 'hex');
  const good = keys.find((k) => verify(null, digest, k.key, bytes));
  if (good) return { status: 'verified', keyId: good.id };
  return { status: 'invalid', detail: `it verifies under none of ${keys.map((k) => k.id).join(', ')}: the image (sha256 ${sha256}) is not the one that was signed, or another key signed it` };
}
