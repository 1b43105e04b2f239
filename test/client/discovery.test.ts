import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { discoverAuthorizationServerForClient } from '../../src/client/discover-authorization-server.js';
import { discoverProtectedResource, protectedResourceMetadataUrls, resourceCoversServer } from '../../src/client/discover-protected-resource.js';

/** A real HTTP server answering JSON documents by path, recording every path asked for. */
interface DocServer {
  origin: string;
  requests: string[];
  docs: Map<string, unknown>;
}
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function docServer(build: (origin: string) => Record<string, unknown>): Promise<DocServer> {
  const requests: string[] = [];
  const docs = new Map<string, unknown>();
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const doc = docs.get(req.url ?? '');
    if (doc === undefined) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(typeof doc === 'string' ? doc : JSON.stringify(doc));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const [path, doc] of Object.entries(build(origin))) docs.set(path, doc);
  return { origin, requests, docs };
}

describe('protected resource metadata discovery', () => {
  it('tries the challenge URL, then the path-suffixed well-known URI, then the root', () => {
    expect(protectedResourceMetadataUrls('https://h/api/mcp', 'https://h/custom.json')).toEqual([
      'https://h/custom.json',
      'https://h/.well-known/oauth-protected-resource/api/mcp',
      'https://h/.well-known/oauth-protected-resource',
    ]);
    expect(protectedResourceMetadataUrls('https://h/')).toEqual(['https://h/.well-known/oauth-protected-resource']);
  });

  it('uses the challenge\'s resource_metadata first and asks for nothing else when it answers', async () => {
    const s = await docServer((o) => ({ '/custom/prm.json': { resource: `${o}/mcp`, authorization_servers: ['https://as'] } }));
    const { metadata } = await discoverProtectedResource(`${s.origin}/mcp`, { resourceMetadataUrl: `${s.origin}/custom/prm.json` });
    expect(metadata.resource).toBe(`${s.origin}/mcp`);
    expect(s.requests).toEqual(['/custom/prm.json']);
  });

  it('falls back from the path-suffixed URI to the root, and accepts a root resource covering /mcp', async () => {
    const s = await docServer((o) => ({ '/.well-known/oauth-protected-resource': { resource: o, authorization_servers: ['https://as'], scopes_supported: ['a'] } }));
    const { metadata } = await discoverProtectedResource(`${s.origin}/mcp`);
    expect(metadata.scopes_supported).toEqual(['a']);
    expect(s.requests).toEqual(['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource']);
  });

  it('refuses metadata for another resource (resource_mismatch) and metadata without authorization servers', async () => {
    const s = await docServer(() => ({
      '/.well-known/oauth-protected-resource/mcp': { resource: 'https://evil.example.com/mcp', authorization_servers: ['https://as'] },
      '/.well-known/oauth-protected-resource/empty': { resource: 'x', authorization_servers: [] },
    }));
    await expect(discoverProtectedResource(`${s.origin}/mcp`)).rejects.toMatchObject({ code: 'resource_mismatch' });
    await expect(discoverProtectedResource(`${s.origin}/empty`)).rejects.toMatchObject({ code: 'discovery_failed' });
  });

  it('says which URLs it tried when there is none, and unreachable when nothing answers', async () => {
    const s = await docServer(() => ({}));
    await expect(discoverProtectedResource(`${s.origin}/mcp`)).rejects.toMatchObject({
      code: 'discovery_failed',
      message: expect.stringContaining(`${s.origin}/.well-known/oauth-protected-resource/mcp → HTTP 404`),
    });
    await expect(discoverProtectedResource('http://127.0.0.1:1/mcp', { timeoutMs: 2_000 })).rejects.toMatchObject({ code: 'unreachable' });
  });

  it('resourceCoversServer: same origin, path at or below the resource\'s', () => {
    expect(resourceCoversServer('http://h:1', 'http://h:1/mcp')).toBe(true);
    expect(resourceCoversServer('http://h:1/', 'http://h:1/mcp')).toBe(true);
    expect(resourceCoversServer('http://h:1/mcp', 'http://h:1/mcp')).toBe(true);
    expect(resourceCoversServer('http://h:1/api', 'http://h:1/apix/mcp')).toBe(false);
    expect(resourceCoversServer('http://h:2', 'http://h:1/mcp')).toBe(false);
    expect(resourceCoversServer('https://h:1', 'http://h:1/mcp')).toBe(false);
  });
});

describe('authorization server metadata discovery (client side)', () => {
  const metadata = (issuer: string, extra: Record<string, unknown> = {}) => ({
    issuer,
    authorization_endpoint: `${issuer}/auth`,
    token_endpoint: `${issuer}/token`,
    code_challenge_methods_supported: ['S256'],
    ...extra,
  });

  it('finds an issuer with a path in MCP order (RFC 8414 path insertion, then OIDC variants)', async () => {
    const s = await docServer((o) => ({ '/tenant/.well-known/openid-configuration': metadata(`${o}/tenant`) }));
    const { url } = await discoverAuthorizationServerForClient(`${s.origin}/tenant`);
    expect(url).toBe(`${s.origin}/tenant/.well-known/openid-configuration`);
    expect(s.requests).toEqual([
      '/.well-known/oauth-authorization-server/tenant',
      '/.well-known/openid-configuration/tenant',
      '/tenant/.well-known/openid-configuration',
    ]);
  });

  it('refuses metadata whose issuer is not the one asked for', async () => {
    const s = await docServer(() => ({ '/.well-known/oauth-authorization-server': metadata('https://someone-else') }));
    await expect(discoverAuthorizationServerForClient(s.origin)).rejects.toMatchObject({ code: 'issuer_mismatch' });
  });

  it('tells an issuer nothing answers for (unreachable) from one without metadata (discovery_failed), listing the URLs', async () => {
    const s = await docServer(() => ({}));
    await expect(discoverAuthorizationServerForClient(`${s.origin}/tenant`)).rejects.toMatchObject({
      code: 'discovery_failed',
      message: expect.stringContaining(`${s.origin}/.well-known/oauth-authorization-server/tenant → HTTP 404`),
    });
    await expect(discoverAuthorizationServerForClient('http://127.0.0.1:1/oidc', { timeoutMs: 2_000 })).rejects.toMatchObject({ code: 'unreachable' });
    await expect(discoverAuthorizationServerForClient('ftp://as.example')).rejects.toMatchObject({ code: 'discovery_failed', message: expect.stringContaining('not a usable issuer') });
  });

  it('refuses a server without PKCE S256 (absent or plain only), and one without a token endpoint', async () => {
    const s = await docServer((o) => ({
      '/.well-known/oauth-authorization-server/plain': metadata(`${o}/plain`, { code_challenge_methods_supported: ['plain'] }),
      '/.well-known/oauth-authorization-server/none': metadata(`${o}/none`, { code_challenge_methods_supported: undefined }),
      '/.well-known/oauth-authorization-server/notoken': metadata(`${o}/notoken`, { token_endpoint: undefined }),
    }));
    await expect(discoverAuthorizationServerForClient(`${s.origin}/plain`)).rejects.toMatchObject({ code: 'unsupported_server', message: expect.stringContaining('S256') });
    await expect(discoverAuthorizationServerForClient(`${s.origin}/none`)).rejects.toMatchObject({ code: 'unsupported_server' });
    await expect(discoverAuthorizationServerForClient(`${s.origin}/notoken`)).rejects.toMatchObject({ code: 'unsupported_server', message: expect.stringContaining('token_endpoint') });
  });
});
