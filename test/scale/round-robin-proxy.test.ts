import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { mcpRetrySafe, startRoundRobinProxy, type RoundRobinProxy } from './round-robin-proxy.mjs';

/** A backend that answers with its name, or (`reset`) reads the whole request and then drops the connection. */
async function backend(name: string, behaviour: 'answer' | 'reset', seen: string[]): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      seen.push(`${name} ${req.method} ${req.headers.host} ${body}`);
      if (behaviour === 'reset') return void req.socket.destroy();
      res.writeHead(200, { 'content-type': 'text/plain' }).end(name);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** A port nothing listens on. */
async function closedPort(): Promise<string> {
  const { url, server } = await backend('gone', 'answer', []);
  await new Promise((resolve) => server.close(resolve));
  return url;
}

const servers: Server[] = [];
let proxy: RoundRobinProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const CREATE = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'create-todo', arguments: { content: 'x' } } });
const LIST = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'get-todos', arguments: {} } });

async function post(body: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${proxy!.url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { status: response.status, text: await response.text() };
}

describe('round-robin proxy', () => {
  it('takes the replicas in turn and keeps the Host header', async () => {
    const seen: string[] = [];
    const all = await Promise.all(['a', 'b', 'c'].map((name) => backend(name, 'answer', seen)));
    servers.push(...all.map((b) => b.server));
    proxy = await startRoundRobinProxy();
    proxy.setBackends(all.map((b) => b.url));
    const answers = [];
    for (let i = 0; i < 6; i += 1) answers.push((await fetch(`${proxy.url}/x`)).text());
    expect(await Promise.all(answers)).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
    expect(seen[0]).toContain(`127.0.0.1:${proxy.port}`);
  });

  it('resends any request, a create included, when a replica refuses the connection: it never saw it', async () => {
    const seen: string[] = [];
    const live = await backend('live', 'answer', seen);
    servers.push(live.server);
    proxy = await startRoundRobinProxy({ retrySafe: mcpRetrySafe(['get-todos']) });
    proxy.setBackends([await closedPort(), live.url]);
    expect(await post(CREATE)).toEqual({ status: 200, text: 'live' });
    expect(seen).toHaveLength(1);
    expect(proxy.stats.retried).toBe(1);
    // The refusing replica is skipped for a while: the next request goes straight to the live one.
    expect(await post(CREATE)).toEqual({ status: 200, text: 'live' });
    expect(proxy.stats.retried).toBe(1);
  });

  it('after a replica dropped a request it may have applied: resends reads, answers 502 for writes', async () => {
    const seen: string[] = [];
    const dropper = await backend('dropper', 'reset', seen);
    const live = await backend('live', 'answer', seen);
    servers.push(dropper.server, live.server);
    proxy = await startRoundRobinProxy({ retrySafe: mcpRetrySafe(['get-todos']), downForMs: 0 });

    proxy.setBackends([dropper.url, live.url]);
    const create = await post(CREATE);
    expect(create.status).toBe(502);
    expect(create.text).toContain('may or may not have been applied');
    expect(seen.filter((line) => line.startsWith('live'))).toEqual([]);

    proxy.setBackends([dropper.url, live.url]);
    expect(await post(LIST)).toEqual({ status: 200, text: 'live' });
    proxy.setBackends([dropper.url, live.url]);
    expect((await fetch(`${proxy.url}/.well-known/oauth-protected-resource`)).status).toBe(200);
    // Each of the three went to the dropping replica first.
    expect(seen.filter((line) => line.startsWith('dropper')).map((line) => line.split(' ')[1])).toEqual(['POST', 'POST', 'GET']);
  });

  it('classifies MCP messages: reads and handshakes are safe to resend, tool calls that change things are not', () => {
    const safe = mcpRetrySafe(['get-todos']);
    const body = (value: unknown) => Buffer.from(JSON.stringify(value));
    expect(safe('POST', body({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} }))).toBe(true);
    expect(safe('POST', body({ jsonrpc: '2.0', method: 'notifications/initialized' }))).toBe(true);
    expect(safe('POST', body({ jsonrpc: '2.0', id: 1, method: 'tools/list' }))).toBe(true);
    expect(safe('POST', Buffer.from(LIST))).toBe(true);
    expect(safe('POST', Buffer.from(CREATE))).toBe(false);
    expect(safe('POST', body({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'delete-todo', arguments: { id: 'x' } } }))).toBe(false);
    expect(safe('POST', body([JSON.parse(LIST), JSON.parse(CREATE)]))).toBe(false);
    expect(safe('POST', Buffer.from('not json'))).toBe(false);
    expect(safe('GET', Buffer.alloc(0))).toBe(true);
  });
});
