// Every failure as one JSON shape: { error, message, details? }. Refusals of the
// application keep their message; a request the API cannot take says what to send
// instead; anything unexpected is answered with an id only, and its detail is logged
// under that id (an internal message can name files, SQL, hosts: not for clients).
import { randomBytes } from 'node:crypto';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { capProblems, clip, isAppError, type AppErrorKind } from '@bankswitch/app';
import { redactUrl } from './logging';

const STATUS: Record<AppErrorKind, number> = { 'invalid-input': 400, 'not-found': 404, conflict: 409, unavailable: 503, unauthenticated: 401, forbidden: 403 };

interface ValidationIssue {
  readonly keyword?: string;
  readonly instancePath?: string;
  readonly message?: string;
  readonly params?: { readonly keys?: readonly string[] };
}

const bytes = (n: number) => `${n.toLocaleString('en-US')} bytes`;

/** `/hosts/3` → `hosts[3]`: the path style of the application's problems. */
const problemPath = (keys: readonly string[]) => keys.map((key, index) => (/^\d+$/.test(key) ? `[${key}]` : index === 0 ? key : `.${key}`)).join('');

/** A schema's issues as problems: one per unknown field, with its path, as the application names them. */
function problemsOf(issues: readonly ValidationIssue[]) {
  return issues.flatMap((issue) => {
    const at = (issue.instancePath ?? '').split('/').filter(Boolean);
    if (issue.keyword === 'unrecognized_keys' && issue.params?.keys?.length) return issue.params.keys.map((key) => ({ path: problemPath([...at, key]), message: 'unknown field' }));
    const message = issue.message ?? 'invalid';
    return [{ path: problemPath(at), message: message.endsWith('received undefined') ? 'is required' : message }];
  });
}

export interface ErrorHandlerOptions {
  /** Where internal errors are logged when the request log is off. */
  readonly log: Logger;
  /** The request log is on: log through the request's logger (its lines carry the request id). */
  readonly requestLog: boolean;
  readonly bodyLimit: number;
}

export function apiErrorHandler(options: ErrorHandlerOptions) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (isAppError(error)) return reply.code(STATUS[error.kind]).send({ error: error.kind, message: error.message, details: error.details });
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const length = Number(request.headers['content-length']);
      const size = Number.isFinite(length) && length > 0 ? `is ${bytes(length)}` : `is more than ${bytes(options.bodyLimit)}`;
      return reply.code(413).send({ error: 'payload-too-large', message: `the body ${size}; the limit is ${bytes(options.bodyLimit)}: split the inventory or the spec into smaller ones and send each` });
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      const type = request.headers['content-type'];
      const sent = type ? `is ${clip(type, 80)}` : 'has no Content-Type';
      return reply.code(415).send({ error: 'unsupported-media-type', message: `the body ${sent}: send JSON, with Content-Type: application/json (a campaign spec goes as { "spec": "<its YAML or JSON text>" })` });
    }
    if (error.validation) {
      const where = error.validationContext ?? 'request';
      const problems = problemsOf(error.validation as ValidationIssue[]);
      const details = capProblems(problems);
      const first = details[0] ? `${details[0].path || where}: ${details[0].message}` : 'it does not fit the schema';
      const count = problems.length;
      return reply.code(400).send({
        error: 'invalid-input',
        message: `the ${where} has ${count} problem${count === 1 ? '' : 's'} (${first}); see /openapi.json for what this route takes`,
        details,
      });
    }
    if (error.statusCode && error.statusCode < 500) return reply.code(error.statusCode).send({ error: 'invalid-input', message: clip(error.message, 500) });

    const errorId = randomBytes(6).toString('hex');
    const log = options.requestLog ? request.log : options.log;
    log.error({ err: error, errorId, method: request.method, url: redactUrl(request.url) }, `internal error ${errorId}`);
    return reply.code(500).send({ error: 'internal', errorId, message: `internal error ${errorId}: the detail is in the API log under this id` });
  };
}
