// One HTTP exchange over node:http with a fresh connection (no keep-alive: a rebooting
// host closes its listener, and a pooled socket would turn that into a confusing error).
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
      agent: false,
      headers: { connection: 'close', accept: 'application/json', ...input.headers },
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
