// The dashboard's only way to the API: JSON over fetch with the bearer token, errors as
// ApiError with the API's own message, and a campaign's live stream (fetch streaming, so
// that the token goes in the Authorization header as for every other call).
import { createSseParser } from './sse';

export class ApiError extends Error {
  constructor(
    /** HTTP status; 0 when the API did not answer. */
    readonly status: number,
    /** The API's error kind (unauthorized, forbidden, not-found, conflict, …). */
    readonly kind: string,
    message: string,
  ) {
    super(message);
  }
}

export interface Api {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
}

export type LiveState = 'connecting' | 'live' | 'reconnecting';

export interface LiveHandlers {
  onMessage(event: string, data: string): void;
  onState(state: LiveState, detail?: string): void;
  /** The stream was refused for good (401, 403, 404): no retry. */
  onRefused(error: ApiError): void;
}

async function errorOf(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => undefined)) as { error?: string; message?: string } | undefined;
  return new ApiError(response.status, body?.error ?? 'http', body?.message ?? `the API answered ${response.status} ${response.statusText}`);
}

const unreachable = (error: unknown) => new ApiError(0, 'network', `the API did not answer (${error instanceof Error ? error.message : String(error)}); check that it is running, then try again`);

/** `onUnauthorized`: the token was refused (revoked, or the API's tokens changed). */
export function createApi(token: string, onUnauthorized?: (error: ApiError) => void): Api {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    let response: Response;
    try {
      response = await fetch(path, {
        method,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw unreachable(error);
    }
    if (!response.ok) {
      const error = await errorOf(response);
      if (response.status === 401) onUnauthorized?.(error);
      throw error;
    }
    return (await response.json()) as T;
  };
  return { get: (path) => call('GET', path), post: (path, body) => call('POST', path, body ?? {}) };
}

/** Follows a server-sent-events route until `signal` aborts, reconnecting (1 s, doubling to 15 s) when the connection drops. */
export async function followLive(token: string, path: string, handlers: LiveHandlers, signal: AbortSignal): Promise<void> {
  let delay = 1_000;
  while (!signal.aborted) {
    handlers.onState('connecting');
    try {
      const response = await fetch(path, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, signal });
      if (!response.ok || !response.body) {
        const error = await errorOf(response);
        if ([401, 403, 404].includes(response.status)) return handlers.onRefused(error);
        throw error;
      }
      handlers.onState('live');
      delay = 1_000;
      const parser = createSseParser((m) => handlers.onMessage(m.event, m.data));
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.feed(value);
      }
      handlers.onState('reconnecting', 'the API closed the stream');
    } catch (error) {
      if (signal.aborted) return;
      handlers.onState('reconnecting', error instanceof ApiError ? error.message : unreachable(error).message);
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, delay);
      signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });
    delay = Math.min(delay * 2, 15_000);
  }
}
