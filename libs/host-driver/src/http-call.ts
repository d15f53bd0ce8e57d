// One HTTP exchange over node:http: on a connection kept alive by `agent` (hostAgent()),
// or on a fresh one that is closed after the answer.
import http from 'node:http';

export interface HttpAnswer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export type HttpFailure =
  | { readonly kind: 'refused'; readonly detail: string; readonly cause: unknown }
  | { readonly kind: 'timeout'; readonly detail: string; readonly cause?: unknown }
  | { readonly kind: 'reset'; readonly detail: string; readonly cause: unknown }
  | { readonly kind: 'network'; readonly detail: string; readonly cause: unknown };

export class HttpCallError extends Error {
  constructor(readonly failure: HttpFailure) {
    super(failure.detail, { cause: failure.cause });
  }
}

export interface HttpCallInput {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly url: URL;
  readonly timeoutMs: number;
  readonly headers?: Record<string, string>;
  readonly body?: Uint8Array | string;
  /** Keeps the connection for the next call (hostAgent()); without one, a connection per call. */
  readonly agent?: http.Agent;
}

/**
 * How long a kept connection may stay idle. Well under the host agent's own keep-alive
 * timeout (fastify's 72 s): a connection the client still thinks open but the server
 * has just closed is what turns a call into ECONNRESET.
 */
export const IDLE_CONNECTION_MS = 4_000;

/**
 * Keep-alive connections to one host. A host that reboots closes its listener, and with
 * it the kept connections: the host answers a reboot with `connection: close`, and closes
 * the idle ones as it goes down, so the next call after a reboot connects anew. A call
 * that still meets a connection closing under it fails as a reset, as a dropped
 * connection always did, and its activity is retried (activities are idempotent).
 */
export function hostAgent(): http.Agent {
  return new http.Agent({ keepAlive: true, maxFreeSockets: 2, timeout: IDLE_CONNECTION_MS, scheduling: 'lifo' });
}

function classify(error: NodeJS.ErrnoException): HttpFailure {
  const code = error.code ?? '';
  if (code === 'ECONNREFUSED') return { kind: 'refused', detail: 'connection refused', cause: error };
  if (code === 'ECONNRESET' || code === 'EPIPE' || error.message === 'socket hang up') {
    return { kind: 'reset', detail: `connection dropped (${code || error.message})`, cause: error };
  }
  return { kind: 'network', detail: `${code || 'network error'}: ${error.message}`, cause: error };
}

export function httpCall(input: HttpCallInput): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (failure: HttpFailure): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      reject(new HttpCallError(failure));
    };
    const request = http.request(input.url, {
      method: input.method,
      agent: input.agent ?? false,
      headers: { ...(input.agent ? {} : { connection: 'close' }), accept: 'application/json', ...input.headers },
    });
    const timer = setTimeout(
      () => fail({ kind: 'timeout', detail: `no complete answer within ${input.timeoutMs} ms` }),
      input.timeoutMs,
    );
    request.on('error', (error: NodeJS.ErrnoException) => fail(classify(error)));
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', (error: NodeJS.ErrnoException) => fail(classify(error)));
      response.on('aborted', () => fail({ kind: 'reset', detail: 'answer cut off', cause: undefined }));
      response.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    request.end(input.body);
  });
}
