import { ApplicationFailure } from '@temporalio/activity';
import { decide, type BankCommand, type BankEvent } from '@bankswitch/banks';
import type { EventMetadata, HostHistory, HostHistorySnapshot } from './ports';

/**
 * Decides a bank command against the host's history and appends the resulting events
 * once: a key already in the stream means an earlier attempt recorded them. A stale
 * read loses the append with a version conflict, and Temporal's retry reloads. A caller
 * that has just read the history passes it instead of reading it again.
 */
export async function recordBankCommand(
  history: HostHistory,
  hostId: string,
  command: BankCommand,
  options: { idempotencyKey: string; metadata: EventMetadata },
  loaded?: HostHistorySnapshot,
): Promise<readonly BankEvent[]> {
  const snapshot = loaded ?? (await history.load(hostId));
  if (snapshot.keys.has(options.idempotencyKey)) return [];
  const decision = decide(command, snapshot.state);
  if (!decision.ok) {
    throw ApplicationFailure.create({
      type: 'BankCommandRefused',
      nonRetryable: true,
      message: `host ${hostId}: ${command.type} refused (${decision.refusal.code}): ${decision.refusal.message}`,
    });
  }
  if (decision.events.length > 0) {
    await history.append(hostId, decision.events, { expectedVersion: snapshot.version, ...options });
  }
  return decision.events;
}
