import { describe, expect, it } from 'vitest';
import { sseMessages, type SseCursor } from '../../src/client/sse-events.js';

async function collect(chunks: string[]): Promise<{ messages: string[]; cursor: SseCursor }> {
  const cursor: SseCursor = { lastEventId: undefined, retryMs: undefined };
  const messages: string[] = [];
  async function* source() {
    yield* chunks;
  }
  for await (const data of sseMessages(source(), cursor)) messages.push(data);
  return { messages, cursor };
}

describe('sseMessages (eventsource-parser, with what MCP adds)', () => {
  it('yields message events only, keeps ids across events, skips priming events, follows retry', async () => {
    const { messages, cursor } = await collect([
      '\uFEFFid: prime\nretry: 250\ndata: \n\n',
      ': a comment\nevent: other\ndata: not a message\n\n',
      'id: e1\ndata: {"a":1}\r',
      '\n\r\ndata: {"b":',
      '2}\ndata: 3\n\n',
    ]);
    expect(messages).toEqual(['{"a":1}', '{"b":2}\n3']);
    expect(cursor).toEqual({ lastEventId: 'e1', retryMs: 250 });
  });

  it('refuses an event larger than the limit instead of buffering without end', async () => {
    const huge = `data: ${'x'.repeat(17 * 1024 * 1024)}`;
    await expect(collect([huge])).rejects.toMatchObject({ code: 'server_error' });
  });
});
