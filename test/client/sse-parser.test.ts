import { describe, expect, it } from 'vitest';
import { createSseParser, type SseEvent } from '../../src/client/sse-parser.js';

function parse(chunks: string[]) {
  const events: SseEvent[] = [];
  const parser = createSseParser((event) => events.push(event));
  for (const chunk of chunks) parser.push(chunk);
  return { events, parser };
}

describe('createSseParser', () => {
  it('dispatches events on a blank line, joining data lines, with the event type and last ID', () => {
    const { events } = parse(['event: message\nid: 7\ndata: {"a":\ndata: 1}\n\n', 'data: second\n\n']);
    expect(events).toEqual([
      { event: 'message', data: '{"a":\n1}', lastEventId: '7' },
      // The ID carries over to later events that do not set one.
      { event: 'message', data: 'second', lastEventId: '7' },
    ]);
  });

  it('reads LF, CRLF and CR line ends, also when a CRLF is split between chunks', () => {
    const { events } = parse(['data: a\r', '\n\r', '\ndata: b\r\rdata: c\n', '\n']);
    expect(events.map((e) => e.data)).toEqual(['a', 'b', 'c']);
  });

  it('handles fields split anywhere between chunks', () => {
    const text = 'id: 42\nretry: 250\ndata: {"jsonrpc":"2.0","id":1,"result":{}}\n\n';
    const { events, parser } = parse(text.split(''));
    expect(events).toEqual([{ event: 'message', data: '{"jsonrpc":"2.0","id":1,"result":{}}', lastEventId: '42' }]);
    expect(parser.retryMs).toBe(250);
    expect(parser.lastEventId).toBe('42');
  });

  it('does not dispatch events without a data field, but keeps their ID and retry', () => {
    const { events, parser } = parse(['id: prime-1\nretry: 30\n\n', ': a comment\n\n']);
    expect(events).toEqual([]);
    expect(parser.lastEventId).toBe('prime-1');
    expect(parser.retryMs).toBe(30);
  });

  it('dispatches an empty data field (the SDK primes with "data: "), ignores comments, unknown fields, bad retry values and a leading BOM', () => {
    const { events, parser } = parse(['\uFEFFid: 1\ndata: \n\n: keep-alive\nfoo: bar\nretry: soon\ndata:x\n\n']);
    expect(events).toEqual([
      { event: 'message', data: '', lastEventId: '1' },
      { event: 'message', data: 'x', lastEventId: '1' },
    ]);
    expect(parser.retryMs).toBeUndefined();
  });

  it('keeps an unfinished event until its blank line arrives', () => {
    const { events, parser } = parse(['data: partial\n']);
    expect(events).toEqual([]);
    parser.push('\n');
    expect(events.map((e) => e.data)).toEqual(['partial']);
  });
});
