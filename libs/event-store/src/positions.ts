/**
 * A place in the global log. Commit order is (transactionId, globalPosition): global
 * positions alone are allocation order, and a transaction that allocated early may
 * commit late.
 */
export interface LogPosition {
  readonly transactionId: bigint;
  readonly globalPosition: bigint;
}

export const LOG_START: LogPosition = { transactionId: 0n, globalPosition: 0n };

export function comparePositions(a: LogPosition, b: LogPosition): number {
  if (a.transactionId !== b.transactionId) return a.transactionId < b.transactionId ? -1 : 1;
  if (a.globalPosition !== b.globalPosition) return a.globalPosition < b.globalPosition ? -1 : 1;
  return 0;
}
