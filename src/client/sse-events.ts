import { createParser } from 'eventsource-parser';
import { ClientError } from './client-error.js';

/** Where an event stream got to, for resuming it (MCP 2025-11-25: GET with Last-Event-ID). */
export interface SseCursor {
  /** The last event id the stream sent. */
  lastEventId: string | undefined;
  /** The reconnection delay the server asked for (`retry:`), in milliseconds. */
  retryMs: number | undefined;
}

/** Longest event this client buffers, in characters: a JSON-RPC message is far smaller. */
const MAX_EVENT_CHARS = 16 * 1024 * 1024;

/**
 * The data of each `message` event of an event stream, as it arrives (decoded text chunks in). Parsing is
 * eventsource-parser's (tested against the WHATWG rules: CR/LF/CRLF split anywhere, BOM, comments); here
 * only what MCP adds: events of another type are not messages, and an empty `data:` is a priming event that
 * only hands out an id. `cursor` follows the id and retry fields. One gap of the library: an `id:` in an
 * event without data is not reported, so such an id is not resumed from.
 */
export async function* sseMessages(chunks: AsyncIterable<string>, cursor: SseCursor): AsyncGenerator<string> {
  const ready: string[] = [];
  let overflow = false;
  const parser = createParser({
    onEvent(event) {
      if (event.id !== undefined) cursor.lastEventId = event.id;
      if ((event.event ?? 'message') === 'message' && event.data !== '') ready.push(event.data);
    },
    onRetry(ms) {
      cursor.retryMs = ms;
    },
    onError(error) {
      // Unknown fields and bad retry values are ignored, as the standard says; only the size limit matters.
      if (error.type === 'max-buffer-size-exceeded') overflow = true;
    },
    maxBufferSize: MAX_EVENT_CHARS,
  });
  for await (const chunk of chunks) {
    parser.feed(chunk);
    if (overflow) throw new ClientError('server_error', `The server sent an event longer than ${MAX_EVENT_CHARS} characters.`);
    while (ready.length > 0) yield ready.shift()!;
  }
}
