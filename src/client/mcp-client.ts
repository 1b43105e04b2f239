import type { OutgoingHttpHeaders } from 'node:http';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { COURTESY_AFTER_STOP_MS, InterruptedError, interruption } from '../errors/interrupted.js';
import { ClientError } from './client-error.js';
import { createAgent, httpExchange, type HttpResponse } from './http-exchange.js';
import { readAnswer } from './mcp-answer.js';
import { McpProtocolViolation, McpRpcError } from './mcp-errors.js';
import { httpRefusal } from './mcp-http-refusal.js';
import type { JsonRpcMessage, RequestId } from './mcp-messages.js';
import { initializeParams, parseCallToolResult, parseInitializeResult, parseListToolsResult, type InitializeResult } from './mcp-protocol.js';
import type { JsonObject } from './mcp-shape.js';
import { requestDeadline, seconds } from './request-deadline.js';
import { isFollowedRedirect, sameOriginRedirect } from './same-origin-redirect.js';

export interface McpClientOptions {
  /** The MCP endpoint (Streamable HTTP). */
  readonly url: string;
  /** Sent as `Authorization: Bearer …` on every request (same origin only). Default: none. */
  readonly token?: string;
  /** Name and version sent in `initialize`. Default: todo-mcp and its package.json version. */
  readonly clientInfo?: { name: string; version: string };
  /** Client capabilities sent in `initialize`. Default: none (`{}`). */
  readonly capabilities?: JsonObject;
  /**
   * Longest one request may take end to end — the answer, a stream of pings or progress, resumes — in
   * milliseconds; then it is cancelled (`notifications/cancelled`) and fails as `unreachable`. Default: 60 000.
   */
  readonly timeoutMs?: number;
  /** How many times a stream that ends before its answer is resumed with Last-Event-ID. Default: 5. */
  readonly maxResumes?: number;
  /** Aborting it (Ctrl-C) cancels every request in flight, each rejecting with its reason. Default: none. */
  readonly signal?: AbortSignal;
  /** Answers a request the server sends; undefined means unsupported (-32601). Default: ping only. */
  readonly onServerRequest?: (request: { method: string; params?: JsonObject }) => Promise<JsonObject | undefined>;
  /** Sees each notification the server sends (progress, logging, …). Default: none. */
  readonly onNotification?: (notification: { method: string; params?: JsonObject }) => void;
}

/** Per request: its own way to be cancelled, and its own deadline. */
export interface McpRequestOptions {
  /** Aborting it cancels this request (`notifications/cancelled`); it rejects with the reason. Default: none. */
  readonly signal?: AbortSignal;
  /** End-to-end deadline in milliseconds. Default: the client's `timeoutMs`. */
  readonly timeoutMs?: number;
}

/** A connected MCP session over Streamable HTTP; requests may run concurrently. */
export interface McpClient {
  readonly server: InitializeResult;
  /** Any request; resolves with its result object (a JSON-RPC error rejects as McpRpcError). */
  request(method: string, params?: JsonObject, options?: McpRequestOptions): Promise<JsonObject>;
  /** Any notification (POST, answered 202). */
  notify(method: string, params?: JsonObject, options?: McpRequestOptions): Promise<void>;
  listTools(cursor?: string, options?: McpRequestOptions): Promise<{ tools: Tool[]; nextCursor?: string }>;
  callTool(name: string, args: Record<string, unknown>, options?: McpRequestOptions): Promise<CallToolResult>;
  /** Ends the session (DELETE) and drops pooled connections; never throws. */
  close(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 60_000;
// Bound of the courtesy requests; COURTESY_AFTER_STOP_MS once the user has stopped us.
const CLOSE_TIMEOUT_MS = 2_000;

/**
 * Opens an MCP session (initialize, then notifications/initialized) over Streamable HTTP as the 2025-11-25
 * spec has it: answers as JSON or SSE streams resumed with Last-Event-ID, server requests on the way
 * (`onServerRequest`), the session and protocol-version headers, same-origin 307/308 followed, every
 * message checked, a deadline per request with `notifications/cancelled` when it passes or the caller
 * aborts, and DELETE on close.
 *
 * Written for the CLI instead of the SDK's Client, whose module graph (zod, Ajv) takes longer to load than
 * a whole `todo-mcp call` may. Failures: McpHttpError (HTTP refusals, with the challenge), McpRpcError
 * (JSON-RPC errors), McpProtocolViolation (broken messages), ClientError('unreachable') (network, deadline),
 * and the abort reason of a signal.
 */
export async function connectMcpClient(options: McpClientOptions): Promise<McpClient> {
  let endpoint = new URL(options.url);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const agent = await createAgent(endpoint);
  let sessionId: string | undefined;
  let protocolVersion: string | undefined;
  let nextId = 1;

  const headers = (extra: OutgoingHttpHeaders): OutgoingHttpHeaders => ({
    ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    ...(sessionId ? { 'mcp-session-id': sessionId } : {}),
    ...(protocolVersion ? { 'mcp-protocol-version': protocolVersion } : {}),
    ...extra,
  });

  /** One HTTP exchange with the endpoint, following same-origin 307/308; a 308 moves the session for good. */
  const send = async (method: 'GET' | 'POST' | 'DELETE', extra: OutgoingHttpHeaders, body: string | undefined, what: string, signal: AbortSignal) => {
    let target = endpoint;
    for (let hops = 0; ; hops += 1) {
      const response = await httpExchange(target, { method, headers: headers(extra), body, agent, signal });
      if (!isFollowedRedirect(response.status)) return response;
      response.discard();
      target = sameOriginRedirect(target, response.status, response.headers.location, hops, what);
      if (response.status === 308) endpoint = target;
    }
  };

  const refuse = async (response: HttpResponse, what: string): Promise<never> => {
    throw await httpRefusal(response, what);
  };

  const post = async (message: object, what: string, signal: AbortSignal): Promise<HttpResponse> => {
    const json = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const response = await send('POST', json, JSON.stringify(message), what, signal);
    if (response.status < 200 || response.status > 299) return refuse(response, what);
    return response;
  };

  const send202 = async (method: string, params: JsonObject | undefined, signal: AbortSignal) =>
    (await post({ jsonrpc: '2.0', method, ...(params ? { params } : {}) }, method, signal)).discard();

  const notify = async (method: string, params?: JsonObject, call: McpRequestOptions = {}) => {
    const { signal, dispose } = deadline(method, call);
    try {
      await send202(method, params, signal);
    } catch (error) {
      throw signal.aborted ? interruption(signal, `sending ${method} to ${endpoint.origin}`) : error;
    } finally {
      dispose();
    }
  };

  /** Replies to a request the server sent on a stream (ping by default; `onServerRequest` for the rest). */
  const reply = async (request: Extract<JsonRpcMessage, { kind: 'request' }>, signal: AbortSignal) => {
    const { method, params } = request;
    let answer: object;
    try {
      const result = options.onServerRequest ? await options.onServerRequest({ method, ...(params ? { params } : {}) }) : method === 'ping' ? {} : undefined;
      answer = result ? { result } : { error: { code: -32601, message: `todo-mcp does not support ${method}` } };
    } catch (error) {
      answer = { error: { code: -32603, message: error instanceof Error ? error.message : String(error) } };
    }
    await post({ jsonrpc: '2.0', id: request.id, ...answer }, `The reply to ${method}`, signal).then((r) => r.discard(), () => undefined);
  };

  /** Tells the server to stop working on `id` (not for initialize, which may not be cancelled). */
  const cancel = async (id: RequestId, reason: unknown) => {
    const bound = AbortSignal.timeout(options.signal?.aborted || reason instanceof InterruptedError ? COURTESY_AFTER_STOP_MS : CLOSE_TIMEOUT_MS);
    await send202('notifications/cancelled', { requestId: id, reason: cancelReason(reason) }, bound).catch(() => undefined);
  };

  /** Ends one exchange at its deadline (ClientError 'unreachable' naming `label`) or when the session or the caller stops it. */
  const deadline = (label: string, call: McpRequestOptions) => {
    const limitMs = call.timeoutMs ?? timeoutMs;
    const late = () => new ClientError('unreachable', `${endpoint.href} did not answer ${label} within ${seconds(limitMs)}.`);
    return requestDeadline(limitMs, late, [options.signal, call.signal]);
  };

  const request = async (method: string, params: JsonObject = {}, call: McpRequestOptions = {}): Promise<JsonObject> => {
    const id = nextId++;
    const label = method === 'tools/call' ? `tools/call ${String(params.name)}` : method;
    const { signal, dispose } = deadline(label, call);
    try {
      const response = await post({ jsonrpc: '2.0', id, method, params }, label, signal);
      const session = response.headers['mcp-session-id'];
      if (method === 'initialize' && typeof session === 'string' && session !== '') sessionId = session;
      if (response.status === 202) {
        response.discard();
        throw new McpProtocolViolation(`it accepted ${label} but sent no answer`);
      }
      const answer = await readAnswer(response, id, label, {
        signal,
        maxResumes: options.maxResumes ?? 5,
        other: async (message) => {
          if (message.kind === 'request') await reply(message, signal);
          else if (message.kind === 'notification') options.onNotification?.({ method: message.method, ...(message.params ? { params: message.params } : {}) });
        },
        resume: async (lastEventId, signal) => {
          const resumed = await send('GET', { accept: 'text/event-stream', 'last-event-id': lastEventId }, undefined, `Resuming the answer to ${label}`, signal);
          return resumed.status === 200 ? resumed : refuse(resumed, `Resuming the answer to ${label}`);
        },
      });
      if (answer.kind === 'error') throw new McpRpcError(answer.error.code, answer.error.message, answer.error.data);
      return answer.result;
    } catch (error) {
      if (!signal.aborted) throw error;
      if (method !== 'initialize') await cancel(id, signal.reason);
      throw interruption(signal, `waiting for ${endpoint.origin} to answer ${label}`);
    } finally {
      dispose();
    }
  };

  const close = async () => {
    if (sessionId) {
      const bound = AbortSignal.timeout(options.signal?.aborted ? COURTESY_AFTER_STOP_MS : CLOSE_TIMEOUT_MS);
      (await send('DELETE', {}, undefined, 'Closing the session', bound).catch(() => undefined))?.discard();
      sessionId = undefined;
    }
    agent.destroy();
  };

  try {
    const init = await request('initialize', { ...initializeParams(options.clientInfo), capabilities: options.capabilities ?? {} });
    const server = parseInitializeResult(init);
    protocolVersion = server.protocolVersion;
    await notify('notifications/initialized');
    return {
      server,
      request,
      notify,
      listTools: async (cursor, call) => parseListToolsResult(await request('tools/list', cursor ? { cursor } : {}, call)),
      callTool: async (name, args, call) => parseCallToolResult(await request('tools/call', { name, arguments: args }, call)),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** What `notifications/cancelled` tells the server. */
function cancelReason(reason: unknown): string {
  if (reason instanceof InterruptedError) return `the user stopped todo-mcp (${reason.signalName})`;
  if (reason instanceof ClientError) return 'todo-mcp gave up waiting (its deadline passed)';
  return reason instanceof Error ? reason.message : 'cancelled';
}
