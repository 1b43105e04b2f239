import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ allowedOrigins: ['https://app.example.com'] });
});
afterAll(() => t.close());

const base = () => `http://localhost:${t.server.port}`;
const initBody = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'h', version: '1' } },
});

async function postMcp(headers: Record<string, string>, body = initBody) {
  return fetch(`${base()}/mcp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body,
  });
}

describe('Protected Resource Metadata (RFC 9728)', () => {
  for (const path of ['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp']) {
    it(`${path} has the spec fields, resource exactly as configured, and is readable cross-origin`, async () => {
      const res = await fetch(`${base()}${path}`, { headers: { origin: 'https://elsewhere.example' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      const doc = (await res.json()) as { resource: string };
      expect(doc).toEqual({
        resource: `http://localhost:${t.server.port}`,
        authorization_servers: [t.issuer.issuer],
        scopes_supported: ['create:todos', 'read:todos', 'delete:todos'],
        bearer_methods_supported: ['header'],
        resource_name: 'todo-mcp',
      });
      expect(doc.resource.endsWith('/')).toBe(false);
    });
  }
});

describe('hardening of the MCP endpoint', () => {
  it('a foreign Origin gets 403 even with a valid token (DNS rebinding)', async () => {
    const res = await postMcp({ origin: 'https://evil.example', authorization: `Bearer ${await t.token('alice', 'create:todos')}` });
    expect(res.status).toBe(403);
  });

  it('loopback and configured origins are allowed, with CORS exposing the auth and session headers', async () => {
    for (const origin of ['http://localhost:6274', 'http://127.0.0.1:5173', 'https://app.example.com']) {
      const res = await postMcp({ origin, authorization: `Bearer ${await t.token('alice', 'create:todos')}` });
      expect(res.status, origin).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      const exposed = (res.headers.get('access-control-expose-headers') ?? '').toLowerCase();
      expect(exposed).toContain('www-authenticate');
      expect(exposed).toContain('mcp-session-id');
    }
    const preflight = await fetch(`${base()}/mcp`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:6274', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.status).toBe(204);
    expect((preflight.headers.get('access-control-allow-headers') ?? '').toLowerCase()).toContain('authorization');
  });

  it('a 401 to a browser exposes WWW-Authenticate', async () => {
    const res = await postMcp({ origin: 'http://localhost:6274' });
    expect(res.status).toBe(401);
    expect((res.headers.get('access-control-expose-headers') ?? '').toLowerCase()).toContain('www-authenticate');
  });

  /** POSTs initialize with a Host header of our choosing (fetch would not let us set one). */
  const withHost = (host: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: t.server.port, path: '/mcp', method: 'POST', headers: { host, 'content-type': 'application/json' } }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end(initBody);
    });

  it('a non-loopback Host header is refused on a loopback server, with a JSON-RPC error body', async () => {
    // The last one would read as "localhost" to a URL parser (userinfo), but it is not a host[:port].
    // Each twice: the second answer comes from the guard's memory of the first, and must be the same.
    for (const host of ['rebound.attacker.example', `127.0.0.1.nip.io:${t.server.port}`, `rebound.attacker.example@localhost:${t.server.port}`].flatMap((h) => [h, h])) {
      const res = await withHost(host);
      expect(res.status, host).toBe(403);
      expect(JSON.parse(res.body), host).toEqual({ jsonrpc: '2.0', error: { code: -32000, message: expect.stringContaining('Host header') }, id: null });
    }
  });

  it('every spelling of a loopback Host header passes the host check (then the token check answers)', async () => {
    for (const host of [`localhost:${t.server.port}`, `127.0.0.1:${t.server.port}`, `[::1]:${t.server.port}`, `127.0.0.2:${t.server.port}`].flatMap((h) => [h, h])) {
      expect((await withHost(host)).status, host).toBe(401);
    }
  });

  it('bodies over the limit get 413, malformed JSON 400', async () => {
    const token = await t.token('alice', 'create:todos');
    const huge = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'create-todo', arguments: { content: 'x'.repeat(400_000) } } });
    expect((await postMcp({ authorization: `Bearer ${token}` }, huge)).status).toBe(413);
    const bad = await postMcp({ authorization: `Bearer ${token}` }, '{"jsonrpc":');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: number } }).error.code).toBe(-32700);
  });

  it('an unsupported MCP-Protocol-Version gets 400', async () => {
    const res = await postMcp({ authorization: `Bearer ${await t.token('alice', 'create:todos')}`, 'mcp-protocol-version': '1999-01-01' });
    expect(res.status).toBe(400);
  });

  it('a request without a session id that is not initialize gets 400', async () => {
    const res = await postMcp(
      { authorization: `Bearer ${await t.token('alice', 'create:todos')}` },
      JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    );
    expect(res.status).toBe(400);
  });
});
