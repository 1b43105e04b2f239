import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { probeServer } from '../../src/client/probe-server.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t?.close());

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

describe('probeServer (the one unauthenticated initialize)', () => {
  it('returns the 401 and its parsed challenge from the real server', async () => {
    const probe = await probeServer(t.server.mcpUrl);
    expect(probe).toMatchObject({ reached: true, status: 401, challenge: { resourceMetadata: expect.stringContaining('/.well-known/oauth-protected-resource') } });
  });

  it('sends a real initialize, and closes the session of a server that answers without asking for a token', async () => {
    const seen: Array<{ method?: string; body: string; session?: string }> = [];
    const server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        seen.push({ method: req.method, body, session: req.headers['mcp-session-id'] as string | undefined });
        if (req.method === 'DELETE') return void res.writeHead(200).end();
        res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 'open-one' }).end('{}');
      });
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
    expect(await probeServer(url)).toEqual({ reached: true, status: 200, challenge: undefined });
    expect(JSON.parse(seen[0]!.body)).toMatchObject({ jsonrpc: '2.0', method: 'initialize', params: { protocolVersion: expect.any(String), clientInfo: { name: 'todo-mcp' } } });
    expect(seen[1]).toMatchObject({ method: 'DELETE', session: 'open-one' });
  });

  it('never throws: a server nothing answers for is reached: false with the reason', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const { port } = closed.address() as AddressInfo;
    await new Promise((r) => closed.close(r)); // the port now refuses connections
    expect(await probeServer(`http://127.0.0.1:${port}/mcp`, { timeoutMs: 2_000 })).toMatchObject({ reached: false, reason: 'ECONNREFUSED' });
  });
});
