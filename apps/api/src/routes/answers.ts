// The error answers every route documents, next to its own 200.
import { errorAnswerSchema } from '@bankswitch/app';

const error = (description: string) => errorAnswerSchema.describe(description);

export const READ_ERRORS = {
  400: error('invalid input: the first problems with their paths in details, then how many more'),
  401: error('missing or unknown bearer token'),
  404: error('no such host or campaign'),
  500: error('an internal error: the answer names the id its detail is logged under'),
  503: error('PostgreSQL or Temporal did not answer: nothing was read or changed'),
} as const;

export const ACT_ERRORS = {
  ...READ_ERRORS,
  403: error('auditors may only read'),
  409: error('refused in the current state (the text says why and what to do)'),
} as const;

/** Routes that take a body. */
export const BODY_ERRORS = {
  413: error('the body is larger than the limit (1 MiB by default)'),
  415: error('the body is not JSON'),
} as const;
