import { describe, expect, it } from 'vitest';
import { createSseParser, type SseMessage } from './sse';

const parse = (chunks: string[]) => {
  const messages: SseMessage[] = [];
  const parser = createSseParser((m) => messages.push(m));
  for (const chunk of chunks) parser.feed(chunk);
  return messages;
};

describe('createSseParser', () => {
  it('reads named events, skips comments, and joins multi-line data', () => {
    expect(parse([': still here\n\nevent: view\ndata: {"a":1}\n\ndata: one\ndata: two\n\n'])).toEqual([
      { event: 'view', data: '{"a":1}' },
      { event: 'message', data: 'one\ntwo' },
    ]);
  });

  it('reassembles messages split anywhere, with \\n or \\r\\n line ends', () => {
    const text = 'event: events\r\ndata: [1,2]\r\n\r\nevent: view\ndata: {}\n\n';
    const whole = parse([text]);
    for (let cut = 1; cut < text.length; cut++) expect(parse([text.slice(0, cut), text.slice(cut)])).toEqual(whole);
    expect(whole).toEqual([
      { event: 'events', data: '[1,2]' },
      { event: 'view', data: '{}' },
    ]);
  });

  it('sends nothing for an event with no data, or before the blank line', () => {
    expect(parse(['event: view\n\n', 'event: view\ndata: x\n'])).toEqual([]);
  });
});
