/** One Server-Sent Event (WHATWG HTML §9.2 "event stream interpretation"). */
export interface SseEvent {
  /** `event:` field; "message" when absent. */
  readonly event: string;
  /** `data:` lines joined with "\n". */
  readonly data: string;
  /** The last event ID seen on the stream so far (it carries over events without an `id:`). */
  readonly lastEventId: string | undefined;
}

export interface SseParser {
  /** Feeds decoded text; complete events are handed to `onEvent` in order. */
  push(text: string): void;
  /** The `retry:` value last received, in ms. */
  readonly retryMs: number | undefined;
  /** The last event ID received (also when no event was dispatched after it). */
  readonly lastEventId: string | undefined;
}

/**
 * An incremental event-stream parser. Lines may end in CRLF, LF or CR and may be split anywhere between
 * chunks (a CR at the end of a chunk waits to see whether an LF follows). As the standard says, an event
 * with no data field is not dispatched, while `data:` with an empty value is (data "").
 */
export function createSseParser(onEvent: (event: SseEvent) => void): SseParser {
  let buffer = '';
  let first = true;
  let data: string[] = [];
  let eventType = '';
  let lastEventId: string | undefined;
  let retryMs: number | undefined;

  const dispatch = () => {
    if (data.length > 0) onEvent({ event: eventType || 'message', data: data.join('\n'), lastEventId });
    data = [];
    eventType = '';
  };

  const line = (text: string) => {
    if (text === '') return dispatch();
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') eventType = value;
    else if (field === 'id' && !value.includes('\0')) lastEventId = value;
    else if (field === 'retry' && /^\d+$/.test(value)) retryMs = Number(value);
  };

  return {
    push(text) {
      buffer += text;
      if (first && buffer.length > 0) {
        if (buffer.charCodeAt(0) === 0xfeff) buffer = buffer.slice(1);
        first = false;
      }
      let start = 0;
      for (let i = 0; i < buffer.length; i += 1) {
        const c = buffer.charCodeAt(i);
        if (c !== 10 && c !== 13) continue;
        if (c === 13 && i + 1 === buffer.length) break; // maybe CRLF split across chunks
        line(buffer.slice(start, i));
        if (c === 13 && buffer.charCodeAt(i + 1) === 10) i += 1;
        start = i + 1;
      }
      buffer = buffer.slice(start);
    },
    get retryMs() {
      return retryMs;
    },
    get lastEventId() {
      return lastEventId;
    },
  };
}
