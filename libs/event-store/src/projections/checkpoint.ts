import type { Db } from '../db';
import { LOG_START, type LogPosition } from '../positions';

/**
 * Takes the projector's lock for the rest of the transaction (an advisory lock: it
 * assigns no transaction id, so it does not hold back the log's xmin) and returns where
 * the projector stopped.
 */
export async function lockCheckpoint(tx: Db, name: string): Promise<LogPosition> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`projection:${name}`}, 0))`;
  const rows = await tx.$queryRaw<{ transaction_id: bigint; global_position: bigint }[]>`
    SELECT transaction_id, global_position FROM projection_checkpoints WHERE name = ${name}`;
  const row = rows[0];
  return row ? { transactionId: row.transaction_id, globalPosition: row.global_position } : LOG_START;
}

export async function saveCheckpoint(tx: Db, name: string, position: LogPosition): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO projection_checkpoints (name, transaction_id, global_position, updated_at)
    VALUES (${name}, ${position.transactionId}, ${position.globalPosition}, now())
    ON CONFLICT (name) DO UPDATE SET transaction_id = excluded.transaction_id,
      global_position = excluded.global_position, updated_at = excluded.updated_at`;
}
