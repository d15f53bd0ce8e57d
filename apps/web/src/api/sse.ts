// Server-sent events read from a streamed fetch body (EventSource cannot send the
// Authorization header): `event:` and `data:` lines, a blank line ends a message,
// `:` lines are comments (the server's keep-alive).
export interface SseMessage {
  readonly event: string;
  readonly data: string;
}

export interface SseParser {
  /** Feeds the next piece of the stream (any split, even mid-line). */
  feed(chunk: string): void;
}

export function createSseParser(onMessage: (message: SseMessage) => void): SseParser {
  let buffer = '';
  let event = '';
  let data: string[] = [];
  const line = (text: string) => {
    if (text === '') {
      if (data.length > 0) onMessage({ event: event || 'message', data: data.join('\n') });
      event = '';
      data = [];
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    const value = colon === -1 ? '' : text.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  };
  return {
    feed(chunk) {
      buffer += chunk;
      for (;;) {
        const end = buffer.search(/\r\n|\r|\n/);
        if (end === -1) return;
        // A lone \r at the end of a chunk may be the first half of \r\n: wait for more.
        if (buffer[end] === '\r' && end === buffer.length - 1) return;
        line(buffer.slice(0, end));
        buffer = buffer.slice(end + (buffer.startsWith('\r\n', end) ? 2 : 1));
      }
    },
  };
}
