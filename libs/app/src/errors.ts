// Typed refusals of the application layer. Each message says what was wrong and what
// to do; the front doors map the kind to an exit code (CLI) or a status code (API).
export type AppErrorKind = 'not-found' | 'invalid-input' | 'conflict' | 'unavailable';

export class AppError extends Error {
  constructor(
    readonly kind: AppErrorKind,
    message: string,
    /** Per-field problems (spec or inventory errors), each with its path. */
    readonly details: readonly { readonly path: string; readonly message: string; readonly line?: number; readonly column?: number }[] = [],
  ) {
    super(message);
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
