import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LATEST_PROTOCOL_VERSION } from '../../src/client/mcp-protocol.js';

/** One JSON-RPC message as the stub received it. */
export interface StubRequest {
  readonly method: string;
  readonly id?: string | number;
  readonly params?: Record<string, unknown>;
}

/** What the stub sends back: an HTTP status, headers and a body (an object is sent as JSON, a string as is). */
export interface StubAnswer {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

export interface StubMcpServer {
  /** The MCP endpoint, http://127.0.0.1:<port>/mcp */
  readonly url: string;
  /** Methods received, in order. */
  readonly seen: string[];
  close(): Promise<void>;
}

/** A JSON-RPC result answer to `request`. */
export const result = (request: StubRequest, value: unknown): StubAnswer => ({ body: { jsonrpc: '2.0', id: request.id, result: value } });

/**
 * A deliberately misbehaving MCP endpoint on 127.0.0.1 for tests of what the client does with broken
 * answers (a real server never sends them). By default it answers like a minimal correct server —
 * `initialize`, notifications, `tools/list` with one tool `get-todos` — and `answer` overrides any method
 * by returning an answer (undefined keeps the default).
 */
export async function startStubMcpServer(answer: (request: StubRequest) => StubAnswer | undefined = () => undefined): Promise<StubMcpServer> {
  const seen: string[] = [];
  const fallback = (request: StubRequest): StubAnswer => {
    if (request.id === undefined) return { status: 202 };
    if (request.method === 'initialize') {
      return result(request, { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: { tools: {} }, serverInfo: { name: 'stub', version: '1' } });
    }
    if (request.method === 'tools/list') return result(request, { tools: [{ name: 'get-todos', inputSchema: { type: 'object' } }] });
    return { body: { jsonrpc: '2.0', id: request.id, error: { code: -32601, message: 'Method not found' } } };
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST') {
        res.writeHead(405).end();
        return;
      }
      const request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as StubRequest;
      seen.push(request.method);
      const { status = 200, headers = {}, body } = answer(request) ?? fallback(request);
      const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
      res.writeHead(status, { ...(body === undefined || typeof body === 'string' ? {} : { 'content-type': 'application/json' }), ...headers }).end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
