import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { EventStore } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { EmptyResultSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { connectMcpClient } from '../../src/client/mcp-client.js';
import { McpHttpError, McpProtocolViolation, McpRpcError } from '../../src/client/mcp-errors.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/** Every request the bare server saw: method, session header and Last-Event-ID. */
interface Seen {
  method: string;
  session?: string;
  lastEventId?: string;
  protocolVersion?: string;
}

interface BareServer {
  url: string;
  seen: Seen[];
  closedSessions: string[];
  pongs: number;
  close(): Promise<void>;
}

/**
 * An event store that replays in the order events were stored. The SDK's example InMemoryEventStore orders
 * by `<stream>_<ms>_<random>` ids, so two events stored in the same millisecond replay in random order, and
 * its priming event (an empty `{}` message) could then be replayed after the one the client resumes from:
 * a broken server, which the client rightly refuses, failing this test now and then on a loaded machine.
 */
function orderedEventStore(): EventStore {
  const events: Array<{ id: string; streamId: string; message: JSONRPCMessage }> = [];
  return {
    async storeEvent(streamId, message) {
      const id = `${streamId}_${events.length}`;
      events.push({ id, streamId, message });
      return id;
    },
    async replayEventsAfter(lastEventId, { send }) {
      const at = events.findIndex((event) => event.id === lastEventId);
      if (at < 0) return '';
      const { streamId } = events[at]!;
      for (const event of events.slice(at + 1)) if (event.streamId === streamId) await send(event.id, event.message);
      return streamId;
    },
  };
}

/**
 * The official SDK's server with its Streamable HTTP transport (sessions, SSE answers unless
 * `json`, an event store for resumable streams when `resumable`), on 127.0.0.1:0. Its tools exercise
 * what a real server may do while answering: log notifications, ping the client, close the stream early.
 */
async function startBareServer(options: { json?: boolean; resumable?: boolean; withTools?: boolean } = {}): Promise<BareServer> {
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const state: Omit<BareServer, 'url' | 'close'> = { seen: [], closedSessions: [], pongs: 0 };

  const newServer = () => {
    const server = new McpServer({ name: 'bare', version: '1.0.0' }, { capabilities: { logging: {} } });
    if (options.withTools === false) return server;
    server.registerTool('echo', { inputSchema: { text: z.string() } }, async ({ text }, extra) => {
      await extra.sendNotification({ method: 'notifications/message', params: { level: 'info', data: `echoing ${text}` } });
      return { content: [{ type: 'text', text }] };
    });
    server.registerTool('ping-back', { inputSchema: {} }, async (_args, extra) => {
      await extra.sendRequest({ method: 'ping' }, EmptyResultSchema);
      state.pongs += 1;
      return { content: [{ type: 'text', text: 'pong received' }] };
    });
    server.registerTool('slow-after-close', { inputSchema: {} }, async (_args, extra) => {
      await extra.sendNotification({ method: 'notifications/message', params: { level: 'info', data: 'before the close' } });
      // SEP-1699: the server ends the stream; the answer comes on the stream the client resumes.
      extra.closeSSEStream?.();
      await new Promise((resolve) => setTimeout(resolve, 100));
      return { content: [{ type: 'text', text: 'answered after the stream was closed' }], structuredContent: { ok: true } };
    });
    return server;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const header = (name: string) => (typeof req.headers[name] === 'string' ? (req.headers[name] as string) : undefined);
    state.seen.push({ method: req.method!, session: header('mcp-session-id'), lastEventId: header('last-event-id'), protocolVersion: header('mcp-protocol-version') });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = chunks.length > 0 ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
    const session = header('mcp-session-id');
    let transport = session ? transports.get(session) : undefined;
    if (!transport) {
      if (session || body?.method !== 'initialize') {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32001, message: 'Session not found' } }));
        return;
      }
      const created: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: randomUUID,
        enableJsonResponse: options.json === true,
        ...(options.resumable ? { eventStore: orderedEventStore(), retryInterval: 20 } : {}),
        onsessioninitialized: (id) => void transports.set(id, created),
        onsessionclosed: (id) => {
          state.closedSessions.push(id);
          transports.delete(id);
        },
      });
      await newServer().connect(created);
      transport = created;
    }
    await transport.handleRequest(req, res, body);
  };

  const http: Server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return Object.assign(state, {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`,
    async close() {
      for (const transport of transports.values()) await transport.close().catch(() => undefined);
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  });
}

/** A server answering every request with `answer(req, body)` (for broken or unusual servers). */
async function startRawServer(answer: (req: IncomingMessage, res: ServerResponse, body: { method?: string; id?: number } | undefined) => void) {
  const seen: Seen[] = [];
  const http = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    seen.push({ method: req.method!, session: req.headers['mcp-session-id'] as string | undefined });
    answer(req, res, text ? JSON.parse(text) : undefined);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`,
    seen,
    close: () => {
      http.closeAllConnections();
      return new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

const initializeAnswer = (id: number | undefined, protocolVersion = '2025-11-25') =>
  JSON.stringify({ jsonrpc: '2.0', id, result: { protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'raw', version: '0' } } });

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

describe('connectMcpClient against the official SDK server', () => {
  it('reads SSE answers, skips notifications on the way, sends the session and version headers, and DELETEs the session on close', async () => {
    const server = await startBareServer();
    cleanups.push(() => server.close());
    const client = await connectMcpClient({ url: server.url });
    expect(client.server).toEqual({ protocolVersion: '2025-11-25', serverInfo: { name: 'bare', version: '1.0.0' }, capabilities: { logging: {}, tools: { listChanged: true } } });
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['echo', 'ping-back', 'slow-after-close']);
    const result = await client.callTool('echo', { text: 'hello' });
    expect(result.content).toEqual([{ type: 'text', text: 'hello' }]);
    await client.close();

    const session = server.seen[1]!.session;
    expect(session).toMatch(/^[0-9a-f-]{36}$/);
    // initialize has no session yet; everything after carries it and the negotiated version.
    expect(server.seen[0]).toMatchObject({ method: 'POST', session: undefined, protocolVersion: undefined });
    expect(server.seen.slice(1)).toEqual([
      { method: 'POST', session, protocolVersion: '2025-11-25', lastEventId: undefined },
      { method: 'POST', session, protocolVersion: '2025-11-25', lastEventId: undefined },
      { method: 'POST', session, protocolVersion: '2025-11-25', lastEventId: undefined },
      { method: 'DELETE', session, protocolVersion: '2025-11-25', lastEventId: undefined },
    ]);
    expect(server.closedSessions).toEqual([session]);
  });

  it('answers a ping the server sends in the middle of a tool call', async () => {
    const server = await startBareServer();
    cleanups.push(() => server.close());
    const client = await connectMcpClient({ url: server.url, timeoutMs: 5_000 });
    const result = await client.callTool('ping-back', {});
    await client.close();
    expect(result.content).toEqual([{ type: 'text', text: 'pong received' }]);
    expect(server.pongs).toBe(1);
  });

  it('resumes a stream the server closes before answering, with Last-Event-ID, and gets the answer', async () => {
    const server = await startBareServer({ resumable: true });
    cleanups.push(() => server.close());
    const client = await connectMcpClient({ url: server.url, timeoutMs: 5_000 });
    const result = await client.callTool('slow-after-close', {});
    await client.close();
    expect(result).toMatchObject({ content: [{ type: 'text', text: 'answered after the stream was closed' }], structuredContent: { ok: true } });
    const resumes = server.seen.filter((s) => s.method === 'GET');
    expect(resumes).toHaveLength(1);
    expect(resumes[0]!.lastEventId).toBeTruthy();
  });

  it('reads plain JSON answers (enableJsonResponse)', async () => {
    const server = await startBareServer({ json: true });
    cleanups.push(() => server.close());
    const client = await connectMcpClient({ url: server.url });
    expect((await client.callTool('echo', { text: 'json' })).content).toEqual([{ type: 'text', text: 'json' }]);
    await client.close();
  });

  it('turns a JSON-RPC error into McpRpcError with its code', async () => {
    const server = await startBareServer({ withTools: false });
    cleanups.push(() => server.close());
    const client = await connectMcpClient({ url: server.url });
    const error = await client.listTools().catch((e: unknown) => e);
    await client.close();
    expect(error).toBeInstanceOf(McpRpcError);
    expect(error).toMatchObject({ code: 'rpc_error', rpcCode: -32601 });
  });
});

describe('connectMcpClient against todo-mcp', () => {
  let fx: TestServer;
  let stateless: TestServer;
  beforeAll(async () => {
    fx = await startTestServer();
    stateless = await startTestServer({ stateless: true });
  });
  afterAll(async () => {
    await fx?.close();
    await stateless?.close();
  });

  it('calls tools with a bearer token, in session and stateless mode', async () => {
    for (const server of [fx, stateless]) {
      const token = await server.token('carol', 'create:todos read:todos');
      const client = await connectMcpClient({ url: server.server.mcpUrl, token });
      const created = await client.callTool('create-todo', { content: 'via the light client' });
      expect(created.isError).toBeFalsy();
      const listed = await client.callTool('get-todos', {});
      expect(JSON.stringify(listed.structuredContent)).toContain('via the light client');
      await client.close();
    }
  });

  it('surfaces a 401 as McpHttpError with the WWW-Authenticate challenge, and a 403 with insufficient_scope', async () => {
    const refused = await connectMcpClient({ url: fx.server.mcpUrl, token: 'not-a-jwt' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(McpHttpError);
    expect(refused).toMatchObject({ status: 401 });
    expect((refused as McpHttpError).wwwAuthenticate).toMatch(/^Bearer .*resource_metadata="/);

    const token = await fx.token('dave', 'read:todos');
    const client = await connectMcpClient({ url: fx.server.mcpUrl, token });
    const forbidden = await client.callTool('create-todo', { content: 'x' }).catch((e: unknown) => e);
    await client.close();
    expect(forbidden).toMatchObject({ status: 403 });
    expect((forbidden as McpHttpError).wwwAuthenticate).toContain('error="insufficient_scope"');
  });
});

describe('connectMcpClient against broken servers', () => {
  it('refuses a protocol version it does not speak, and still ends the session', async () => {
    const server = await startRawServer((req, res, body) => {
      if (req.method === 'DELETE') return void res.writeHead(200).end();
      res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 's-1' }).end(initializeAnswer(body?.id, '1999-01-01'));
    });
    cleanups.push(() => server.close());
    const error = await connectMcpClient({ url: server.url }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(McpProtocolViolation);
    expect((error as Error).message).toContain('it speaks MCP 1999-01-01; todo-mcp speaks 2025-11-25');
    expect(server.seen.map((s) => `${s.method} ${s.session ?? '-'}`)).toEqual(['POST -', 'DELETE s-1']);
  });

  it('fails clearly when a stream ends without the answer and without an event ID to resume from', async () => {
    const server = await startRawServer((req, res, body) => {
      if (body?.method === 'initialize') return void res.writeHead(200, { 'content-type': 'application/json' }).end(initializeAnswer(body.id));
      if (body?.method === 'notifications/initialized') return void res.writeHead(202).end();
      res.writeHead(200, { 'content-type': 'text/event-stream' }).end('data: {"jsonrpc":"2.0","method":"notifications/message","params":{}}\n\n');
    });
    cleanups.push(() => server.close());
    const client = await connectMcpClient({ url: server.url });
    const error = await client.listTools().catch((e: unknown) => e);
    await client.close();
    expect(error).toBeInstanceOf(McpProtocolViolation);
    expect((error as Error).message).toBe('it closed the stream before answering tools/list, with no event ID to resume from');
  });

  it('gives up resuming after maxResumes', async () => {
    let id = 0;
    const server = await startRawServer((req, res, body) => {
      if (body?.method === 'initialize') return void res.writeHead(200, { 'content-type': 'application/json' }).end(initializeAnswer(body.id));
      if (body?.method === 'notifications/initialized') return void res.writeHead(202).end();
      id += 1;
      res.writeHead(200, { 'content-type': 'text/event-stream' }).end(`id: e${id}\nretry: 1\ndata: \n\n`);
    });
    cleanups.push(() => server.close());
    const client = await connectMcpClient({ url: server.url, maxResumes: 2 });
    const error = await client.listTools().catch((e: unknown) => e);
    await client.close();
    expect((error as Error).message).toBe('it closed the stream 3 times before answering tools/list');
    expect(server.seen.filter((s) => s.method === 'GET')).toHaveLength(2);
  });

  it('refuses answers that are not JSON or not of the expected shape', async () => {
    const server = await startRawServer((req, res, body) => {
      if (body?.method === 'initialize') return void res.writeHead(200, { 'content-type': 'application/json' }).end(initializeAnswer(body.id));
      if (body?.method === 'notifications/initialized') return void res.writeHead(202).end();
      if (body?.method === 'tools/list') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: body.id, result: { tools: [{ name: 'x' }] } }));
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>');
    });
    cleanups.push(() => server.close());
    const client = await connectMcpClient({ url: server.url });
    await expect(client.listTools()).rejects.toThrow('its tools/list result is malformed: result.tools[0].inputSchema is missing');
    await expect(client.callTool('x', {})).rejects.toThrow('it answered tools/call x with text/html (HTTP 200)');
    await client.close();
  });

  it('reports an unreachable server as ClientError unreachable with the reason', async () => {
    const error = await connectMcpClient({ url: 'http://127.0.0.1:1/mcp' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'unreachable', message: 'Cannot reach http://127.0.0.1:1/mcp: ECONNREFUSED.' });
  });

  it('times out a server that never answers', async () => {
    const server = await startRawServer(() => undefined);
    cleanups.push(() => server.close());
    const error = await connectMcpClient({ url: server.url, timeoutMs: 200 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'unreachable', message: `${server.url} did not answer initialize within 0.2 s.` });
  });
});
