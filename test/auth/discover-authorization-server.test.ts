import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AuthorizationServerDiscoveryError,
  authorizationServerMetadataUrls,
  discoverAuthorizationServer,
} from '../../src/auth/discover-authorization-server.js';
import { createAuthFromIssuer } from '../../src/auth/create-auth-from-issuer.js';
import { startTestIssuer, type TestIssuer } from '../helpers/test-issuer.js';
import { AUDIENCE } from './token-cases.js';

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

describe('discoverAuthorizationServer', () => {
  it('takes the RFC 8414 path-inserted document first', async () => {
    const issuer = await issuerWith({ metadata: 'both' });
    const seen: string[] = [];
    const { metadata, url } = await discoverAuthorizationServer(issuer.issuer, { fetch: recordingFetch(seen) });
    expect(url).toBe(issuer.issuer.replace('/oidc', '/.well-known/oauth-authorization-server/oidc'));
    expect(seen).toEqual([url]);
    expect(metadata).toMatchObject({ issuer: issuer.issuer, jwks_uri: issuer.jwksUri });
  });

  it('falls through the MCP order to OIDC discovery appended to the path', async () => {
    const issuer = await issuerWith({ metadata: 'openid' });
    const seen: string[] = [];
    const { url } = await discoverAuthorizationServer(issuer.issuer, { fetch: recordingFetch(seen) });
    expect(seen).toEqual(authorizationServerMetadataUrls(issuer.issuer));
    expect(url).toBe(`${issuer.issuer}/.well-known/openid-configuration`);
  });

  it('works for an issuer without a path', async () => {
    const issuer = await issuerWith({ path: '', metadata: 'openid' });
    const { url, metadata } = await discoverAuthorizationServer(issuer.issuer);
    expect(url).toBe(`${issuer.issuer}/.well-known/openid-configuration`);
    expect(metadata.issuer).toBe(issuer.issuer);
  });

  it('refuses metadata whose issuer differs from the configured one', async () => {
    const issuer = await issuerWith({});
    const configured = `${issuer.issuer}/`; // a trailing slash is a different issuer
    const error = await discoverAuthorizationServer(configured).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthorizationServerDiscoveryError);
    expect((error as Error).message).toContain(`names issuer "${issuer.issuer}", not the configured "${configured}"`);
  });

  it('refuses metadata without jwks_uri', async () => {
    const base = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer: base }));
    });
    await expect(discoverAuthorizationServer(base)).rejects.toThrow(/no usable jwks_uri/);
  });

  it('lists every URL tried and its answer when nothing is found', async () => {
    const issuer = await issuerWith({});
    const other = issuer.issuer.replace('/oidc', '/nothing-here');
    const error = (await discoverAuthorizationServer(other).catch((e: unknown) => e)) as AuthorizationServerDiscoveryError;
    expect(error).toBeInstanceOf(AuthorizationServerDiscoveryError);
    expect(error.attempts).toEqual(authorizationServerMetadataUrls(other).map((url) => ({ url, outcome: 'HTTP 404' })));
    for (const url of authorizationServerMetadataUrls(other)) expect(error.message).toContain(`${url} → HTTP 404`);
  });

  it('reports network errors for an unreachable issuer', async () => {
    const closed = await serve(() => undefined);
    await cleanups.pop()!(); // close it again: the port now refuses connections
    const error = (await discoverAuthorizationServer(`${closed}/oidc`).catch((e: unknown) => e)) as AuthorizationServerDiscoveryError;
    expect(error.attempts).toHaveLength(3);
    for (const attempt of error.attempts) expect(attempt.outcome).toBe('network error: ECONNREFUSED');
    expect(error.message).toContain(`${closed}/oidc/.well-known/openid-configuration → network error: ECONNREFUSED`);
  });

  it('times out each request', async () => {
    const base = await serve(() => undefined); // accepts, never answers
    const started = performance.now();
    const error = (await discoverAuthorizationServer(`${base}/oidc`, { timeoutMs: 150 }).catch((e: unknown) => e)) as AuthorizationServerDiscoveryError;
    expect(performance.now() - started).toBeLessThan(2000);
    expect(error.attempts.map((a) => a.outcome)).toEqual(Array(3).fill('timed out after 150 ms'));
  });

  it('skips a 200 that is not JSON', async () => {
    const base = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>');
    });
    const error = (await discoverAuthorizationServer(base).catch((e: unknown) => e)) as AuthorizationServerDiscoveryError;
    expect(error.attempts.map((a) => a.outcome)).toEqual(['HTTP 200 but not JSON', 'HTTP 200 but not JSON']);
  });
});

describe('createAuthFromIssuer', () => {
  it('discovers the JWKS and verifies tokens with it', async () => {
    const issuer = await issuerWith({ metadata: 'openid' });
    const { verifier, metadataUrl } = await createAuthFromIssuer({ issuer: issuer.issuer, audience: AUDIENCE });
    expect(metadataUrl).toBe(`${issuer.issuer}/.well-known/openid-configuration`);
    await expect(verifier.verify(await issuer.sign({ sub: 'bob' }))).resolves.toMatchObject({ sub: 'bob' });
  });
});
