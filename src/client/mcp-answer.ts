import { setTimeout as sleep } from 'node:timers/promises';
import { readText, type HttpResponse } from './http-exchange.js';
import { McpHttpError, McpProtocolViolation } from './mcp-errors.js';
import { parseJsonRpcBody, parseJsonRpcMessage, type JsonRpcMessage, type RequestId } from './mcp-messages.js';
import { sseMessages, type SseCursor } from './sse-events.js';

/** A response to our request: a result or an error object. */
export type JsonRpcAnswer = Extract<JsonRpcMessage, { kind: 'result' | 'error' }>;

/** What reading one answer needs from the session it belongs to. */
export interface AnswerReader {
  /** Handles a message met on the way that is not our answer (a server request or a notification). */
  readonly other: (message: JsonRpcMessage) => Promise<void>;
  /** GET with Last-Event-ID: the stream's continuation. */
  readonly resume: (lastEventId: string, signal: AbortSignal) => Promise<HttpResponse>;
  /** Resumes allowed before giving up. */
  readonly maxResumes: number;
  /** Ends the wait (deadline, Ctrl-C): whatever is being read stops with its reason. */
  readonly signal: AbortSignal;
}

// A server may ask for any delay; a CLI waits at most this long before resuming a stream.
const MAX_RETRY_WAIT_MS = 10_000;
const DEFAULT_RETRY_WAIT_MS = 1_000;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new McpProtocolViolation('it sent a message that is not JSON');
  }
}

export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * The answer to request `id` (`label` names it in messages), from a 2xx response to its POST: a JSON body,
 * or an event stream carrying server requests and notifications before the answer, resumed with
 * Last-Event-ID when the server closes it early (up to `maxResumes` times). Every message is checked
 * (mcp-messages.ts). The reader's signal ends it with its reason.
 */
export async function readAnswer(first: HttpResponse, id: RequestId, label: string, reader: AnswerReader): Promise<JsonRpcAnswer> {
  const { signal } = reader;
  const pick = async (message: JsonRpcMessage): Promise<JsonRpcAnswer | undefined> => {
    if ((message.kind === 'result' || message.kind === 'error') && message.id === id) return message;
    // Answers to other ids are not ours to act on (each request has its own stream).
    if (message.kind === 'request' || message.kind === 'notification') await reader.other(message);
    return undefined;
  };

  const type = mediaType(first.headers['content-type']);
  if (type === 'application/json') {
    for (const message of parseJsonRpcBody(parseJson(await readText(first)))) {
      const answer = await pick(message);
      if (answer) return answer;
    }
    throw new McpProtocolViolation(`its JSON answer to ${label} holds no response to it`);
  }
  if (type !== 'text/event-stream') {
    first.discard();
    throw new McpProtocolViolation(`it answered ${label} with ${type || 'no content type'} (HTTP ${first.status})`);
  }

  const cursor: SseCursor = { lastEventId: undefined, retryMs: undefined };
  let response = first;
  for (let resumes = 0; ; resumes += 1) {
    response.body.setEncoding('utf8');
    try {
      for await (const data of sseMessages(response.body as AsyncIterable<string>, cursor)) {
        const answer = await pick(parseJsonRpcMessage(parseJson(data)));
        if (answer) {
          response.discard();
          return answer;
        }
      }
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      response.discard();
      if (error instanceof McpProtocolViolation || error instanceof McpHttpError || !isConnectionError(error)) throw error;
      // The connection dropped mid-stream: like a stream the server closed, resumable if it gave an id.
    }
    if (cursor.lastEventId === undefined) throw new McpProtocolViolation(`it closed the stream before answering ${label}, with no event ID to resume from`);
    if (resumes >= reader.maxResumes) throw new McpProtocolViolation(`it closed the stream ${resumes + 1} times before answering ${label}`);
    await sleep(Math.min(cursor.retryMs ?? DEFAULT_RETRY_WAIT_MS, MAX_RETRY_WAIT_MS), undefined, { signal }).catch(() => signal.throwIfAborted());
    response = await reader.resume(cursor.lastEventId, signal);
    if (mediaType(response.headers['content-type']) !== 'text/event-stream') {
      response.discard();
      throw new McpProtocolViolation(`it resumed the answer to ${label} with something other than an event stream`);
    }
  }
}

/** A socket-level failure (reset, premature close), as opposed to our own checks failing. */
function isConnectionError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && (code.startsWith('ERR_STREAM') || code.startsWith('E'));
}
