import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LATEST_PROTOCOL_VERSION } from '../../src/client/mcp-protocol.js';

/** One HTTP request the scripted server received, with its JSON-RPC body when it had one. */
export interface Received {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body?: { jsonrpc?: string; id?: string | number; method?: string; params?: Record<string, unknown>; result?: unknown; error?: unknown };
}

export interface ScriptedMcpServer {
  /** http://127.0.0.1:<port>/mcp */
  readonly url: string;
  readonly origin: string;
  /** Every request, in order. */
  readonly received: Received[];
  /** Resolves once a request matching `test` has arrived (bounded by `timeoutMs`). */
  waitFor(test: (request: Received) => boolean, timeoutMs?: number): Promise<Received>;
  close(): Promise<void>;
}

/**
 * An MCP endpoint on 127.0.0.1 whose answers a test scripts, for what a well-behaved server never does
 * (pings forever, redirects, malformed results). `handle` answers a request (true when it did); otherwise
 * it behaves like a minimal server: initialize (session `s-1`), 202 for notifications and responses,
 * DELETE 200, `tools/list` with one tool `slow`.
 */
export async function startScriptedMcpServer(handle: (request: Received, res: ServerResponse) => boolean | void = () => false): Promise<ScriptedMcpServer> {
  const received: Received[] = [];
  const waiters: Array<{ test: (r: Received) => boolean; resolve: (r: Received) => void }> = [];
  const sockets = new Set<import('node:net').Socket>();

  const fallback = (request: Received, res: ServerResponse) => {
    const { body } = request;
    if (request.method === 'DELETE') return void res.writeHead(200).end();
    if (!body || body.id === undefined || body.method === undefined) return void res.writeHead(202).end();
    const json = (result: unknown) => res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 's-1' }).end(JSON.stringify({ jsonrpc: '2.0', id: body.id, result }));
    if (body.method === 'initialize') return json({ protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: { tools: {} }, serverInfo: { name: 'scripted', version: '1' } });
    if (body.method === 'tools/list') return json({ tools: [{ name: 'slow', inputSchema: { type: 'object' } }] });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: body.id, error: { code: -32601, message: 'Method not found' } }));
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const request: Received = { method: req.method!, path: req.url!, headers: req.headers, ...(text ? { body: JSON.parse(text) as Received['body'] } : {}) };
      received.push(request);
      for (const waiter of waiters.filter((w) => w.test(request))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(request);
      }
      if (!handle(request, res)) fallback(request, res);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/mcp`,
    origin,
    received,
    waitFor(test, timeoutMs = 5_000) {
      const seen = received.find(test);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no such request within ${timeoutMs} ms; received: ${received.map((r) => `${r.method} ${r.body?.method ?? ''}`).join(', ')}`)), timeoutMs);
        waiters.push({ test, resolve: (r) => (clearTimeout(timer), resolve(r)) });
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Starts an SSE answer that never ends: a ping request from the server every `everyMs` (and a progress note), until the client leaves. */
export function pingForever(res: ServerResponse, everyMs = 100): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  let n = 0;
  const timer = setInterval(() => {
    n += 1;
    res.write(`event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', id: `ping-${n}`, method: 'ping' })}\n\n`);
    res.write(`data: ${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: n } })}\n\n`);
  }, everyMs);
  res.on('close', () => clearInterval(timer));
}
