import { createHash } from 'node:crypto';

/** Digest the first event of a stream chains to. */
export const GENESIS_DIGEST = '0'.repeat(64);

/** The fields a chain digest covers, as stored (data and metadata as PostgreSQL prints jsonb). */
export interface ChainedFields {
  readonly streamId: string;
  readonly streamVersion: bigint;
  readonly type: string;
  readonly schemaVersion: number;
  readonly dataText: string;
  readonly metadataText: string;
  readonly idempotencyKey: string | null;
  readonly recordedAtMicros: bigint;
}

/**
 * SHA-256 (hex) over the previous digest and the event's fields, one per line. The same
 * formula as the SQL function `bankswitch_event_digest` that computes it at append time;
 * recomputing it here means verification does not trust the database's own function.
 */
export function chainDigest(previousDigest: string, e: ChainedFields): string {
  const text = [
    previousDigest,
    e.streamId,
    e.streamVersion.toString(),
    e.type,
    String(e.schemaVersion),
    e.dataText,
    e.metadataText,
    e.idempotencyKey ?? '',
    e.recordedAtMicros.toString(),
  ].join('\n');
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
