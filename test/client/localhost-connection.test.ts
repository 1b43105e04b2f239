import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientError } from '../../src/client/client-error.js';
import { connectMcpClient } from '../../src/client/mcp-client.js';
import { LATEST_PROTOCOL_VERSION } from '../../src/client/mcp-protocol.js';

/**
 * http://localhost URLs are reached without a resolver (src/client/http-exchange.ts): 127.0.0.1 first, ::1
 * when 127.0.0.1 refuses. These are real servers on each loopback address.
 */
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

interface Seen {
  host: string | undefined;
  remote: string | undefined;
}

/** A minimal MCP endpoint on `address` that records each request's Host header and the address it came from. */
async function listenOn(address: string): Promise<{ port: number; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    seen.push({ host: req.headers.host, remote: req.socket.remoteAddress });
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST') return void res.writeHead(204).end();
      const message = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id?: number; method: string };
      if (message.id === undefined) return void res.writeHead(202).end();
      const result = message.method === 'initialize' ? { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: { tools: {} }, serverInfo: { name: 'stub', version: '1' } } : { tools: [] };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: message.id, result }));
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  return { port: (server.address() as AddressInfo).port, seen };
}

describe('an http://localhost server', () => {
  it('is reached on 127.0.0.1, with Host: localhost', async () => {
    const { port, seen } = await listenOn('127.0.0.1');
    const client = await connectMcpClient({ url: `http://localhost:${port}/mcp` });
    await client.listTools();
    await client.close();
    expect(seen.length).toBeGreaterThanOrEqual(3);
    for (const request of seen) expect(request).toEqual({ host: `localhost:${port}`, remote: '127.0.0.1' });
  });

  it('listening on ::1 only, is reached there when 127.0.0.1 refuses', async () => {
    const { port, seen } = await listenOn('::1');
    const client = await connectMcpClient({ url: `http://localhost:${port}/mcp` });
    await client.listTools();
    await client.close();
    expect(seen.length).toBeGreaterThanOrEqual(3);
    for (const request of seen) expect(request).toEqual({ host: `localhost:${port}`, remote: '::1' });
  });

  it('not listening at all: unreachable, naming the refusal', async () => {
    const { port } = await listenOn('127.0.0.1');
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const error = await connectMcpClient({ url: `http://localhost:${port}/mcp`, timeoutMs: 5_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClientError);
    expect(error).toMatchObject({ code: 'unreachable', message: `Cannot reach http://localhost:${port}/mcp: ECONNREFUSED.` });
  });
});
