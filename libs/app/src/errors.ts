// Typed refusals of the application layer. Each message says what was wrong and what
// to do; the front doors map the kind to an exit code (CLI) or a status code (API).
// `unauthenticated` and `forbidden` come from the API's front door (a client of it, such as
// the CLI with BANKSWITCH_SERVER, gets them back typed).
import { capProblems, clip, MAX_MESSAGE_CHARS, type Problem } from './problems';

export type AppErrorKind = 'not-found' | 'invalid-input' | 'conflict' | 'unavailable' | 'unauthenticated' | 'forbidden';

export class AppError extends Error {
  /** Per-field problems (spec or inventory errors), each with its path: the first few, then how many more (capProblems). */
  readonly details: readonly Problem[];

  constructor(
    readonly kind: AppErrorKind,
    message: string,
    details: readonly Problem[] = [],
  ) {
    // Bounded here, where every refusal is built, so that neither the CLI nor the API echoes a whole input back.
    super(clip(message, MAX_MESSAGE_CHARS));
    this.details = capProblems(details);
    this.name = new.target.name;
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super('not-found', message);
  }
}

export class InvalidInputError extends AppError {
  constructor(message: string, details: AppError['details'] = []) {
    super('invalid-input', message, details);
  }
}

export class ConflictError extends AppError {
  constructor(message: string) {
    super('conflict', message);
  }
}

/** Temporal or the database did not answer. */
export class UnavailableError extends AppError {
  constructor(message: string) {
    super('unavailable', message);
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;
