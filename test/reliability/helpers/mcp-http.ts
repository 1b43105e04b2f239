import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';

/** What a scenario sent and what came back, by HTTP status. */
export interface Traffic {
  requests: number;
  readonly statuses: Map<number, number>;
  /** Requests that failed at the network level (refused, reset). */
  networkErrors: number;
  readonly serverErrors: number;
  record(status: number): void;
}

export function createTraffic(): Traffic {
  const statuses = new Map<number, number>();
  return {
    requests: 0,
    statuses,
    networkErrors: 0,
    get serverErrors() {
      let count = 0;
      for (const [status, n] of statuses) if (status >= 500) count += n;
      return count;
    },
    record(status) {
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    },
  };
}

/** A fetch that counts every request and its status into `traffic` (for SDK transports). */
export function countingFetch(traffic: Traffic): typeof fetch {
  return async (input, init) => {
    traffic.requests += 1;
    try {
      const response = await fetch(input, init);
      traffic.record(response.status);
      return response;
    } catch (error) {
      traffic.networkErrors += 1;
      throw error;
    }
  };
}

/** A JSON-RPC message as received (not validated: checking it is the point). */
export type RpcMessage = Record<string, unknown> & { id?: unknown; result?: Record<string, unknown>; error?: { code: number; message: string } };

export interface McpReply {
  status: number;
  /** The HTTP reason phrase (what Node's own 400/431 answers carry instead of a body). */
  statusText: string;
  headers: Headers;
  text: string;
  /** JSON-RPC messages from a JSON body or from the `data:` lines of an SSE body. */
  messages: RpcMessage[];
}

/** The JSON-RPC messages in a response body, whether it is `application/json` or `text/event-stream`. */
export function parseMessages(contentType: string | null, text: string): RpcMessage[] {
  if (text.trim() === '') return [];
  if (contentType?.includes('text/event-stream')) {
    const messages: RpcMessage[] = [];
    for (const event of text.split(/\r?\n\r?\n/)) {
      const data = event
        .split(/\r?\n/)
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trimStart())
        .join('\n');
      if (data) messages.push(JSON.parse(data) as RpcMessage);
    }
    return messages;
  }
  try {
    const parsed = JSON.parse(text) as RpcMessage | RpcMessage[];
    return Array.isArray(parsed) ? parsed : [parsed];
  } catch {
    return [];
  }
}

export interface PostOptions {
  token?: string;
  sessionId?: string;
  /** A value to JSON-encode, or the raw body. */
  body: unknown;
  headers?: Record<string, string>;
  traffic?: Traffic;
  method?: string;
  timeoutMs?: number;
}

/** One POST to the MCP endpoint, counted; the body is read whole. */
export async function postMcp(url: string, options: PostOptions): Promise<McpReply> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    ...(options.sessionId ? { 'mcp-session-id': options.sessionId, 'mcp-protocol-version': LATEST_PROTOCOL_VERSION } : {}),
    ...options.headers,
  };
  const raw = typeof options.body === 'string' || options.body instanceof Uint8Array ? options.body : JSON.stringify(options.body);
  const traffic = options.traffic;
  if (traffic) traffic.requests += 1;
  let response: Response;
  try {
    response = await fetch(url, {
      method: options.method ?? 'POST',
      headers,
      body: options.method === 'GET' || options.method === 'DELETE' ? undefined : (raw as string | Uint8Array),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
  } catch (error) {
    if (traffic) traffic.networkErrors += 1;
    throw error;
  }
  traffic?.record(response.status);
  const text = await response.text();
  return { status: response.status, statusText: response.statusText, headers: response.headers, text, messages: parseMessages(response.headers.get('content-type'), text) };
}

export interface ToolReply {
  status: number;
  /** The JSON-RPC message answering this request (matched by id), if any. */
  message: RpcMessage | undefined;
  /** Every message in the body (to check nothing else came back). */
  messages: RpcMessage[];
  result: { isError?: boolean; content?: Array<{ type: string; text?: string }>; structuredContent?: Record<string, unknown> } | undefined;
}

/** A raw Streamable HTTP session (no SDK): initialize, then numbered requests carrying the session id. */
export interface RawSession {
  readonly sessionId: string | undefined;
  /** Sends `method` with `id` (default: the next number) and returns the reply. */
  request(method: string, params: unknown, id?: string | number): Promise<ToolReply>;
  callTool(name: string, args: unknown, id?: string | number): Promise<ToolReply>;
  /** DELETE the session (stateful servers). */
  close(): Promise<void>;
}

/** The text of a tool result (all text parts joined). */
export function toolText(reply: ToolReply): string {
  return (reply.result?.content ?? []).map((part) => part.text ?? '').join('\n');
}

/** Opens a session with a raw initialize + notifications/initialized. Throws unless initialize succeeds. */
export async function openRawSession(url: string, token: string, options: { traffic?: Traffic; clientName?: string } = {}): Promise<RawSession> {
  const { traffic } = options;
  const init = await postMcp(url, {
    token,
    traffic,
    body: {
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: options.clientName ?? 'raw-client', version: '1.0.0' } },
    },
  });
  if (init.status !== 200 || !init.messages[0]?.result) throw new Error(`initialize failed: ${init.status} ${init.text.slice(0, 300)}`);
  const sessionId = init.headers.get('mcp-session-id') ?? undefined;
  const headers = sessionId ? undefined : { 'mcp-protocol-version': LATEST_PROTOCOL_VERSION };
  const note = await postMcp(url, { token, sessionId, traffic, headers, body: { jsonrpc: '2.0', method: 'notifications/initialized' } });
  if (note.status !== 202) throw new Error(`notifications/initialized answered ${note.status}: ${note.text.slice(0, 300)}`);
  let next = 1;

  async function request(method: string, params: unknown, id: string | number = next++): Promise<ToolReply> {
    const reply = await postMcp(url, { token, sessionId, traffic, headers, body: { jsonrpc: '2.0', id, method, params } });
    const message = reply.messages.find((m) => m.id === id);
    return { status: reply.status, message, messages: reply.messages, result: message?.result as ToolReply['result'] };
  }

  return {
    sessionId,
    request,
    callTool: (name, args, id) => request('tools/call', { name, arguments: args }, id),
    async close() {
      if (!sessionId) return;
      await postMcp(url, { token, sessionId, traffic, method: 'DELETE', body: undefined }).catch(() => undefined);
    },
  };
}

/**
 * Every todo the session's caller may see: get-todos page after page (1,000 at a time), following
 * nextCursor, at most 1,000 pages. Undefined when a page fails (the caller reports it).
 */
export async function listAllTodos<T>(session: RawSession): Promise<T[] | undefined> {
  const all: T[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 1_000; pages += 1) {
    const reply = await session.callTool('get-todos', { limit: 1_000, ...(cursor === undefined ? {} : { cursor }) });
    const structured = reply.result?.structuredContent;
    if (reply.result?.isError || !Array.isArray(structured?.todos)) return undefined;
    all.push(...(structured.todos as T[]));
    cursor = typeof structured.nextCursor === 'string' ? structured.nextCursor : undefined;
    if (cursor === undefined) return all;
  }
  throw new Error('get-todos handed out cursors for more than 1,000 pages');
}
