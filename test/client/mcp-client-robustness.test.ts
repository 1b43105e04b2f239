import { afterEach, describe, expect, it } from 'vitest';
import { connectMcpClient } from '../../src/client/mcp-client.js';
import { McpHttpError, McpProtocolViolation } from '../../src/client/mcp-errors.js';
import { sameOriginRedirect } from '../../src/client/same-origin-redirect.js';
import { InterruptedError } from '../../src/errors/interrupted.js';
import { pingForever, startScriptedMcpServer, type Received, type ScriptedMcpServer } from '../helpers/scripted-mcp-server.js';

const servers: ScriptedMcpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function scripted(handle: Parameters<typeof startScriptedMcpServer>[0]): Promise<ScriptedMcpServer> {
  const server = await startScriptedMcpServer(handle);
  servers.push(server);
  return server;
}

const isCall = (r: Received) => r.body?.method === 'tools/call';
const answer = (r: Received, result: unknown) => JSON.stringify({ jsonrpc: '2.0', id: r.body!.id, result });

describe('a malformed result', () => {
  it('is a protocol violation naming the fault, and the session is still closed', async () => {
    const server = await scripted((r, res) => isCall(r) && (res.writeHead(200, { 'content-type': 'application/json' }).end(answer(r, { content: [{ type: 'resource' }] })), true));
    const client = await connectMcpClient({ url: server.url });
    const error = await client.callTool('slow', {}).catch((e: unknown) => e);
    await client.close();
    expect(error).toBeInstanceOf(McpProtocolViolation);
    expect((error as Error).message).toBe('its tools/call result is malformed: result.content[0].resource is missing');
    expect(server.received.at(-1)).toMatchObject({ method: 'DELETE', headers: { 'mcp-session-id': 's-1' } });
  });

  it('a message without jsonrpc "2.0" on a stream is refused too', async () => {
    const server = await scripted((r, res) => {
      if (!isCall(r)) return false;
      res.writeHead(200, { 'content-type': 'text/event-stream' }).end(`data: ${JSON.stringify({ jsonrpc: '1.0', id: r.body!.id, result: { content: [] } })}\n\n`);
      return true;
    });
    const client = await connectMcpClient({ url: server.url });
    await expect(client.callTool('slow', {})).rejects.toThrow('it sent a JSON-RPC message that has jsonrpc "1.0", not "2.0"');
    await client.close();
  });
});

describe('redirects', () => {
  it('follows a same-origin 308 (/mcp → /mcp/) with the token, and stays at the new URL for the session', async () => {
    const server = await scripted((r, res) => {
      if (r.path !== '/mcp') return false;
      res.writeHead(308, { location: '/mcp/' }).end();
      return true;
    });
    const client = await connectMcpClient({ url: server.url, token: 'tok-1' });
    const { tools } = await client.listTools();
    await client.close();
    expect(tools.map((t) => t.name)).toEqual(['slow']);
    // One redirect, then every request (initialized, tools/list, DELETE) goes straight to /mcp/, with the token.
    expect(server.received.map((r) => `${r.method} ${r.path} ${r.body?.method ?? ''}`.trim())).toEqual([
      'POST /mcp initialize',
      'POST /mcp/ initialize',
      'POST /mcp/ notifications/initialized',
      'POST /mcp/ tools/list',
      'DELETE /mcp/',
    ]);
    expect(server.received.every((r) => r.headers.authorization === 'Bearer tok-1')).toBe(true);
  });

  it('follows a 307 for that request only', async () => {
    const server = await scripted((r, res) => r.path === '/mcp' && r.body?.method === 'tools/list' && (res.writeHead(307, { location: `${server.origin}/elsewhere` }).end(), true));
    const client = await connectMcpClient({ url: server.url });
    await client.listTools();
    await client.close();
    expect(server.received.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /mcp', 'POST /mcp', 'POST /mcp', 'POST /elsewhere', 'DELETE /mcp']);
  });

  it('never follows a redirect to another origin, so the token never leaves', async () => {
    const other = await scripted(() => false);
    const server = await scripted((r, res) => (res.writeHead(307, { location: `${other.url}` }).end(), true));
    const error = await connectMcpClient({ url: server.url, token: 'tok-2' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(McpHttpError);
    expect(error).toMatchObject({ status: 307 });
    expect((error as Error).message).toBe(`initialize was redirected (HTTP 307) to ${other.origin}, another origin; todo-mcp follows redirects only within ${server.origin}, so that the token is never sent elsewhere`);
    expect(other.received).toEqual([]);
  });

  it('gives up on a redirect loop', async () => {
    const server = await scripted((r, res) => (res.writeHead(308, { location: r.path === '/a' ? '/b' : '/a' }).end(), true));
    await expect(connectMcpClient({ url: server.url })).rejects.toThrow('initialize was redirected more than 5 times');
    expect(server.received).toHaveLength(6);
  });

  it('same origin means scheme, host and port: https never goes down to http', () => {
    const from = new URL('https://mcp.example.com/mcp');
    expect(sameOriginRedirect(from, 308, '/mcp/', 0, 'x').href).toBe('https://mcp.example.com/mcp/');
    expect(() => sameOriginRedirect(from, 308, 'http://mcp.example.com/mcp/', 0, 'x')).toThrow('to http://mcp.example.com, another origin');
    expect(() => sameOriginRedirect(from, 308, 'https://mcp.example.com:8443/mcp/', 0, 'x')).toThrow('another origin');
    expect(() => sameOriginRedirect(from, 308, undefined, 0, 'x')).toThrow('x was answered with HTTP 308 without a Location');
  });
});

describe('a deadline per request, and cancellation', () => {
  it('ends a call whose stream only sends pings and progress at the deadline, cancels it, then ends the session', async () => {
    const server = await scripted((r, res) => isCall(r) && (pingForever(res, 50), true));
    const client = await connectMcpClient({ url: server.url, timeoutMs: 600 });
    const started = performance.now();
    const error = await client.callTool('slow', {}).catch((e: unknown) => e);
    const took = performance.now() - started;
    await client.close();
    expect(error).toMatchObject({ code: 'unreachable', message: `${server.url} did not answer tools/call slow within 0.6 s.` });
    expect(took).toBeGreaterThanOrEqual(590);
    expect(took).toBeLessThan(2_000);
    const call = server.received.find(isCall)!;
    const methods = server.received.map((r) => r.body?.method ?? r.method);
    // The server's pings were answered on the way (they do not extend the deadline).
    expect(server.received.some((r) => r.body?.id === 'ping-1' && r.body.result !== undefined)).toBe(true);
    const cancelled = server.received.find((r) => r.body?.method === 'notifications/cancelled')!;
    expect(cancelled.body!.params).toEqual({ requestId: call.body!.id, reason: 'todo-mcp gave up waiting (its deadline passed)' });
    expect(cancelled.headers['mcp-session-id']).toBe('s-1');
    expect(methods.indexOf('notifications/cancelled')).toBeLessThan(methods.indexOf('DELETE'));
  });

  it('an aborted call (Ctrl-C) is cancelled with the reason, and rejects naming what it waited for', async () => {
    const server = await scripted((r, res) => isCall(r) && (pingForever(res), true));
    const stop = new AbortController();
    const client = await connectMcpClient({ url: server.url, signal: stop.signal });
    const call = client.callTool('slow', {}).catch((e: unknown) => e);
    await server.waitFor(isCall);
    stop.abort(new InterruptedError('SIGINT'));
    const error = await call;
    await client.close();
    expect(error).toBeInstanceOf(InterruptedError);
    expect((error as Error).message).toBe(`interrupted while waiting for ${server.origin} to answer tools/call slow (SIGINT)`);
    const cancelled = await server.waitFor((r) => r.body?.method === 'notifications/cancelled');
    expect(cancelled.body!.params).toEqual({ requestId: server.received.find(isCall)!.body!.id, reason: 'the user stopped todo-mcp (SIGINT)' });
    expect(server.received.at(-1)!.method).toBe('DELETE');
  });

  it('never cancels initialize (the spec forbids it), but still ends what it may have opened', async () => {
    const server = await scripted((r) => r.body?.method === 'initialize');
    const error = await connectMcpClient({ url: server.url, timeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'unreachable' });
    expect(server.received.map((r) => r.body?.method ?? r.method)).toEqual(['initialize']);
  });

  it('a per-request signal cancels that request only; the session goes on', async () => {
    let calls = 0;
    const server = await scripted((r, res) => {
      if (!isCall(r)) return false;
      calls += 1;
      if (calls === 1) pingForever(res);
      else res.writeHead(200, { 'content-type': 'application/json' }).end(answer(r, { content: [{ type: 'text', text: 'second' }] }));
      return true;
    });
    const client = await connectMcpClient({ url: server.url });
    const first = new AbortController();
    const pending = client.callTool('slow', {}, { signal: first.signal }).catch((e: unknown) => e);
    await server.waitFor(isCall);
    first.abort(new Error('no longer needed'));
    expect(await pending).toMatchObject({ message: 'no longer needed' });
    expect((await client.callTool('slow', {})).content).toEqual([{ type: 'text', text: 'second' }]);
    await client.close();
    expect(server.received.find((r) => r.body?.method === 'notifications/cancelled')!.body!.params).toEqual({ requestId: 2, reason: 'no longer needed' });
  });
});
