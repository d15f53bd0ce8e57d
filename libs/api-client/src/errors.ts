// The API's refusals as the application layer's typed errors, so that a client (the CLI)
// maps them to the same exit codes as in process; and one sentence when the API is away.
import { AppError, UnavailableError, type AppErrorKind } from '@bankswitch/app';

const KIND_BY_STATUS: Readonly<Record<number, AppErrorKind>> = {
  400: 'invalid-input',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  413: 'invalid-input',
  415: 'invalid-input',
  503: 'unavailable',
};

/** A refusal the client decided itself, or an answer it could not read. */
export class ApiRefusedError extends AppError {
  constructor(message: string, kind: AppErrorKind = 'unavailable') {
    super(kind, message);
  }
}

export function errorFromAnswer(status: number, body: unknown, origin: string): Error {
  const answer = (typeof body === 'object' && body !== null ? body : {}) as { message?: unknown; details?: unknown; errorId?: unknown };
  const message = typeof answer.message === 'string' ? answer.message : `the API at ${origin} answered ${status}`;
  const details = Array.isArray(answer.details) ? (answer.details as AppError['details']) : [];
  const kind = KIND_BY_STATUS[status];
  if (kind === 'unauthenticated') return new AppError(kind, `${message} (BANKSWITCH_TOKEN; an operator creates tokens with \`bankswitch tokens create\`)`);
  if (kind) return new AppError(kind, message, details);
  return new Error(`the API at ${origin} failed (${status}): ${message}`);
}

export function apiUnreachable(origin: string, error: unknown): UnavailableError {
  const e = error as { name?: string; cause?: { code?: string; message?: string } };
  const cause = e.cause?.code ?? e.cause?.message;
  const why = e.name === 'TimeoutError' ? 'did not answer in time' : `is not reachable${cause ? ` (${cause})` : ''}`;
  return new UnavailableError(`the Bankswitch API at ${origin} ${why}, so nothing was read or changed; check that it is up and that BANKSWITCH_SERVER names it, then try again`);
}
