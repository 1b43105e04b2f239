import type { Agent, OutgoingHttpHeaders } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { ClientError } from './client-error.js';
import { createAgent, httpExchange, readText, type HttpResponse } from './http-exchange.js';
import { McpHttpError, McpProtocolViolation, McpRpcError } from './mcp-errors.js';
import {
  initializeParams,
  parseCallToolResult,
  parseInitializeResult,
  parseListToolsResult,
  type InitializeResult,
} from './mcp-protocol.js';
import { createSseParser, type SseEvent } from './sse-parser.js';

export interface McpClientOptions {
  /** The MCP endpoint (Streamable HTTP). */
  readonly url: string;
  /** Sent as `Authorization: Bearer …` on every request. Default: none. */
  readonly token?: string;
  /** Name and version sent in `initialize`. Default: todo-mcp and its package.json version. */
  readonly clientInfo?: { name: string; version: string };
  /** Per request, and for a stream that stalls. Default: 60 000 ms. */
  readonly timeoutMs?: number;
  /** How many times a stream that ends before its answer is resumed with Last-Event-ID. Default: 5. */
  readonly maxResumes?: number;
}

/** A connected MCP session: the tool methods the CLI needs, over Streamable HTTP. */
export interface McpClient {
  readonly server: InitializeResult;
  listTools(cursor?: string): Promise<{ tools: Tool[]; nextCursor?: string }>;
  callTool(name: string, args: Record<string, unknown>): Promise<CallToolResult>;
  /** Ends the session (DELETE) and drops pooled connections; never throws. */
  close(): Promise<void>;
}

interface JsonRpcMessage {
  jsonrpc?: string;
  id?: string | number | null;
  method?: string;
  params?: Record<string, unknown>;
  result?: unknown;
  error?: { code?: unknown; message?: unknown; data?: unknown };
}

const CLOSE_TIMEOUT_MS = 2_000;
// A server may ask for any delay; a CLI waits at most this long before resuming a stream.
const MAX_RETRY_WAIT_MS = 10_000;
const DEFAULT_RETRY_WAIT_MS = 1_000;

/**
 * Opens an MCP session (initialize, then notifications/initialized) over Streamable HTTP.
 *
 * Written for the CLI instead of the SDK's Client, whose module graph (zod schemas, Ajv) takes longer to
 * load than a whole `todo-mcp call` may. It speaks the transport as the 2025-11-25 spec has it: answers
 * as JSON or as an SSE stream, server requests on that stream (ping is answered, others refused), streams
 * resumed with Last-Event-ID after the server closes them early, the session and protocol-version headers,
 * and DELETE on close. HTTP refusals surface as `McpHttpError` (with the challenge), JSON-RPC errors as
 * `McpRpcError`, broken answers as `McpProtocolViolation`, network failures as `ClientError('unreachable')`.
 */
export async function connectMcpClient(options: McpClientOptions): Promise<McpClient> {
  const url = new URL(options.url);
  const timeoutMs = options.timeoutMs ?? 60_000;
  const maxResumes = options.maxResumes ?? 5;
  const agent = await createAgent(url);
  let sessionId: string | undefined;
  let protocolVersion: string | undefined;
  let nextId = 1;

  const baseHeaders = (): OutgoingHttpHeaders => ({
    ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    ...(sessionId ? { 'mcp-session-id': sessionId } : {}),
    ...(protocolVersion ? { 'mcp-protocol-version': protocolVersion } : {}),
  });

  const refuse = async (response: HttpResponse, what: string): Promise<never> => {
    const text = await readText(response, 64 * 1024).catch(() => '');
    const header = response.headers['www-authenticate'];
    throw new McpHttpError(response.status, `${what} was answered with HTTP ${response.status}${detail(text)}`, Array.isArray(header) ? header.join(', ') : header);
  };

  const post = async (message: JsonRpcMessage, what: string): Promise<HttpResponse> => {
    const response = await httpExchange(url, {
      method: 'POST',
      headers: { ...baseHeaders(), 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify(message),
      timeoutMs,
      agent,
    });
    if (response.status < 200 || response.status > 299) return refuse(response, what);
    return response;
  };

  /** Replies to a request the server sent us on a stream: we offer no capabilities, so only ping. */
  const answerServerRequest = async (request: JsonRpcMessage) => {
    const reply: JsonRpcMessage =
      request.method === 'ping'
        ? { jsonrpc: '2.0', id: request.id, result: {} }
        : { jsonrpc: '2.0', id: request.id, error: { code: -32601, message: `todo-mcp does not support ${request.method}` } };
    const response = await post(reply, `The reply to ${request.method}`).catch(() => undefined);
    response?.discard();
  };

  /** Our answer among `messages`, answering server requests met on the way. */
  const findAnswer = async (messages: unknown, id: number): Promise<JsonRpcMessage | undefined> => {
    for (const message of Array.isArray(messages) ? messages : [messages]) {
      if (typeof message !== 'object' || message === null) throw new McpProtocolViolation('it sent a JSON-RPC message that is not an object');
      const m = message as JsonRpcMessage;
      if (m.method === undefined && m.id === id && ('result' in m || 'error' in m)) return m;
      if (typeof m.method === 'string' && m.id !== undefined && m.id !== null) await answerServerRequest(m);
      // Notifications (progress, logging) and answers to other ids are not ours to act on.
    }
    return undefined;
  };

  /** Reads one SSE stream until our answer; says where to resume when it ends without one. */
  const readStream = async (response: HttpResponse, id: number, previousEventId: string | undefined) => {
    const events: SseEvent[] = [];
    const parser = createSseParser((event) => events.push(event));
    response.body.setEncoding('utf8');
    try {
      for await (const chunk of response.body as AsyncIterable<string>) {
        parser.push(chunk);
        while (events.length > 0) {
          const event = events.shift()!;
          // Empty data: the priming event a server sends only to hand out an event ID.
          if (event.event !== 'message' || event.data === '') continue;
          const answer = await findAnswer(parseJson(event.data), id);
          if (answer) {
            response.discard();
            return { answer };
          }
        }
      }
    } catch (error) {
      if (error instanceof McpProtocolViolation || error instanceof McpHttpError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ETIMEDOUT') throw new ClientError('unreachable', `${url.href} sent nothing for ${timeoutMs} ms while answering.`, { cause: error });
      // The connection dropped mid-stream: like a stream the server closed, resumable if it gave an ID.
    }
    return { lastEventId: parser.lastEventId ?? previousEventId, retryMs: parser.retryMs };
  };

  const readAnswer = async (first: HttpResponse, id: number, method: string): Promise<JsonRpcMessage> => {
    const type = mediaType(first.headers['content-type']);
    if (type === 'application/json') {
      const answer = await findAnswer(parseJson(await readText(first)), id);
      if (!answer) throw new McpProtocolViolation(`its JSON answer to ${method} holds no response to it`);
      return answer;
    }
    if (type !== 'text/event-stream') {
      first.discard();
      throw new McpProtocolViolation(`it answered ${method} with ${type || 'no content type'} (HTTP ${first.status})`);
    }
    let response = first;
    let lastEventId: string | undefined;
    for (let resumes = 0; ; resumes += 1) {
      const outcome = await readStream(response, id, lastEventId);
      if ('answer' in outcome && outcome.answer) return outcome.answer;
      lastEventId = outcome.lastEventId;
      if (lastEventId === undefined) throw new McpProtocolViolation(`it closed the stream before answering ${method}, with no event ID to resume from`);
      if (resumes >= maxResumes) throw new McpProtocolViolation(`it closed the stream ${resumes + 1} times before answering ${method}`);
      await sleep(Math.min(outcome.retryMs ?? DEFAULT_RETRY_WAIT_MS, MAX_RETRY_WAIT_MS));
      response = await httpExchange(url, {
        method: 'GET',
        headers: { ...baseHeaders(), accept: 'text/event-stream', 'last-event-id': lastEventId },
        timeoutMs,
        agent,
      });
      if (response.status !== 200) await refuse(response, `Resuming the answer to ${method}`);
      if (mediaType(response.headers['content-type']) !== 'text/event-stream') {
        response.discard();
        throw new McpProtocolViolation(`it resumed the answer to ${method} with something other than an event stream`);
      }
    }
  };

  const request = async (method: string, params: Record<string, unknown>): Promise<unknown> => {
    const id = nextId++;
    const response = await post({ jsonrpc: '2.0', id, method, params }, `${method === 'tools/call' ? `tools/call ${String(params.name)}` : method}`);
    if (method === 'initialize') {
      const header = response.headers['mcp-session-id'];
      if (typeof header === 'string' && header !== '') sessionId = header;
    }
    if (response.status === 202) {
      response.discard();
      throw new McpProtocolViolation(`it accepted ${method} but sent no answer`);
    }
    const answer = await readAnswer(response, id, method);
    if (answer.error !== undefined) {
      const { code, message, data } = answer.error ?? {};
      throw new McpRpcError(typeof code === 'number' ? code : -32603, typeof message === 'string' ? message : 'unknown error', data);
    }
    return answer.result;
  };

  const close = async () => {
    if (sessionId) {
      const response = await httpExchange(url, { method: 'DELETE', headers: baseHeaders(), timeoutMs: CLOSE_TIMEOUT_MS, agent }).catch(() => undefined);
      response?.discard();
      sessionId = undefined;
    }
    agent.destroy();
  };

  try {
    const server = parseInitializeResult(await request('initialize', initializeParams(options.clientInfo)));
    protocolVersion = server.protocolVersion;
    (await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, 'notifications/initialized')).discard();
    return {
      server,
      listTools: async (cursor) => parseListToolsResult(await request('tools/list', cursor ? { cursor } : {})),
      callTool: async (name, args) => parseCallToolResult(await request('tools/call', { name, arguments: args })),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new McpProtocolViolation('it sent a message that is not JSON');
  }
}

function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

/** A short reason from an error body: the JSON-RPC error message, or the start of the text. */
function detail(text: string): string {
  if (!text.trim()) return '';
  try {
    const body = JSON.parse(text) as JsonRpcMessage;
    if (typeof body?.error?.message === 'string') return `: ${body.error.message}`;
  } catch {
    // not JSON: fall through to the text
  }
  const line = text.trim().split('\n')[0]!;
  return `: ${line.length > 200 ? `${line.slice(0, 200)}…` : line}`;
}
