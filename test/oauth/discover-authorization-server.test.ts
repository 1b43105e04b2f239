import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  authorizationServerMetadataUrls,
  discoverAuthorizationServer,
  type AuthorizationServerDiscovery,
} from '../../src/oauth/discover-authorization-server.js';
import { startTestIssuer, type TestIssuer } from '../helpers/test-issuer.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function issuerWith(options: Parameters<typeof startTestIssuer>[0]): Promise<TestIssuer> {
  const issuer = await startTestIssuer(options);
  cleanups.push(() => issuer.close());
  return issuer;
}

/** A plain HTTP server answering every request with `handler`, closed after the test. */
async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server: Server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Real fetch that records the URLs asked for. */
function recordingFetch(seen: string[]): typeof fetch {
  return (input, init) => {
    seen.push(String(input));
    return fetch(input, init);
  };
}

describe('authorizationServerMetadataUrls', () => {
  it('inserts the well-known segment before the path, then appends OIDC discovery', () => {
    expect(authorizationServerMetadataUrls('https://auth.example/tenant/oidc')).toEqual([
      'https://auth.example/.well-known/oauth-authorization-server/tenant/oidc',
      'https://auth.example/.well-known/openid-configuration/tenant/oidc',
      'https://auth.example/tenant/oidc/.well-known/openid-configuration',
    ]);
  });

  it('uses the two root documents for an issuer without a path', () => {
    const expected = ['https://auth.example/.well-known/oauth-authorization-server', 'https://auth.example/.well-known/openid-configuration'];
    expect(authorizationServerMetadataUrls('https://auth.example')).toEqual(expected);
    expect(authorizationServerMetadataUrls('https://auth.example/')).toEqual(expected);
  });

  it('refuses issuers that cannot be issuer identifiers', () => {
    expect(() => authorizationServerMetadataUrls('ftp://auth.example')).toThrow(TypeError);
    expect(() => authorizationServerMetadataUrls('https://auth.example/oidc?x=1')).toThrow(TypeError);
  });
});

/** The discovery's result when it must have found a document. */
function found(result: AuthorizationServerDiscovery) {
  if (result.outcome !== 'found') throw new Error(`expected a document, got ${JSON.stringify(result)}`);
  return result;
}

describe('discoverAuthorizationServer', () => {
  it('takes the RFC 8414 path-inserted document first, and lists it as the one attempt', async () => {
    const issuer = await issuerWith({ metadata: 'both' });
    const seen: string[] = [];
    const { metadata, url, attempts } = found(await discoverAuthorizationServer(issuer.issuer, { fetch: recordingFetch(seen) }));
    expect(url).toBe(issuer.issuer.replace('/oidc', '/.well-known/oauth-authorization-server/oidc'));
    expect(seen).toEqual([url]);
    expect(attempts).toEqual([{ url, outcome: 'HTTP 200' }]);
    expect(metadata).toMatchObject({ issuer: issuer.issuer, jwks_uri: issuer.jwksUri });
  });

  it('falls through the MCP order to OIDC discovery appended to the path, recording each miss', async () => {
    const issuer = await issuerWith({ metadata: 'openid' });
    const seen: string[] = [];
    const { url, attempts } = found(await discoverAuthorizationServer(issuer.issuer, { fetch: recordingFetch(seen) }));
    expect(seen).toEqual(authorizationServerMetadataUrls(issuer.issuer));
    expect(url).toBe(`${issuer.issuer}/.well-known/openid-configuration`);
    expect(attempts.map((a) => a.outcome)).toEqual(['HTTP 404', 'HTTP 404', 'HTTP 200']);
  });

  it('works for an issuer without a path', async () => {
    const issuer = await issuerWith({ path: '', metadata: 'openid' });
    const { url, metadata } = found(await discoverAuthorizationServer(issuer.issuer));
    expect(url).toBe(`${issuer.issuer}/.well-known/openid-configuration`);
    expect(metadata.issuer).toBe(issuer.issuer);
  });

  it('stops at a document naming another issuer (issuer_mismatch) instead of trying the next URL', async () => {
    const issuer = await issuerWith({ metadata: 'both' });
    const configured = `${issuer.issuer}/`; // a trailing slash is a different issuer
    const seen: string[] = [];
    const result = await discoverAuthorizationServer(configured, { fetch: recordingFetch(seen) });
    expect(result).toMatchObject({ outcome: 'issuer_mismatch', named: issuer.issuer, url: seen[0] });
    expect(seen).toHaveLength(1);
  });

  it('returns a document without jwks_uri as found: what a caller requires is for the caller to check', async () => {
    const base = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer: base }));
    });
    expect(found(await discoverAuthorizationServer(base)).metadata).toEqual({ issuer: base });
  });

  it('lists every URL tried and its answer when nothing is found', async () => {
    const issuer = await issuerWith({});
    const other = issuer.issuer.replace('/oidc', '/nothing-here');
    expect(await discoverAuthorizationServer(other)).toEqual({
      outcome: 'not_found',
      unreachable: false,
      attempts: authorizationServerMetadataUrls(other).map((url) => ({ url, outcome: 'HTTP 404' })),
    });
  });

  it('reports network errors, and unreachable, for an issuer nothing answers for', async () => {
    const closed = await serve(() => undefined);
    await cleanups.pop()!(); // close it again: the port now refuses connections
    const result = await discoverAuthorizationServer(`${closed}/oidc`);
    expect(result).toMatchObject({ outcome: 'not_found', unreachable: true });
    expect(result.attempts.map((a) => a.outcome)).toEqual(Array(3).fill('network error: ECONNREFUSED'));
  });

  it('times out each request', async () => {
    const base = await serve(() => undefined); // accepts, never answers
    const started = performance.now();
    const result = await discoverAuthorizationServer(`${base}/oidc`, { timeoutMs: 150 });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(result.attempts.map((a) => a.outcome)).toEqual(Array(3).fill('timed out after 150 ms'));
  });

  it('skips a 200 that is not JSON', async () => {
    const base = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>');
    });
    const result = await discoverAuthorizationServer(base);
    expect(result).toMatchObject({ outcome: 'not_found', unreachable: false });
    expect(result.attempts.map((a) => a.outcome)).toEqual(['HTTP 200 but not JSON', 'HTTP 200 but not JSON']);
  });

  it('says why an issuer cannot be discovered at all, without fetching', async () => {
    const seen: string[] = [];
    expect(await discoverAuthorizationServer('ftp://auth.example', { fetch: recordingFetch(seen) })).toMatchObject({ outcome: 'invalid_issuer', problem: expect.stringContaining('http(s)') });
    expect(await discoverAuthorizationServer('not a url', { fetch: recordingFetch(seen) })).toMatchObject({ outcome: 'invalid_issuer' });
    expect(seen).toEqual([]);
  });
});
