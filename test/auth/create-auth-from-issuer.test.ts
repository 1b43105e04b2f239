import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthorizationServerDiscoveryError, createAuthFromIssuer } from '../../src/auth/create-auth-from-issuer.js';
import { authorizationServerMetadataUrls } from '../../src/oauth/discover-authorization-server.js';
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

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server: Server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function refusal(promise: Promise<unknown>): Promise<AuthorizationServerDiscoveryError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AuthorizationServerDiscoveryError);
  return error as AuthorizationServerDiscoveryError;
}

describe('createAuthFromIssuer (what the resource server requires at start-up)', () => {
  it('discovers the JWKS and verifies tokens with it', async () => {
    const issuer = await issuerWith({ metadata: 'openid' });
    const { verifier, metadataUrl } = await createAuthFromIssuer({ issuer: issuer.issuer, audience: AUDIENCE });
    expect(metadataUrl).toBe(`${issuer.issuer}/.well-known/openid-configuration`);
    await expect(verifier.verify(await issuer.sign({ sub: 'bob' }))).resolves.toMatchObject({ sub: 'bob' });
  });

  it('refuses metadata whose issuer differs from the configured one', async () => {
    const issuer = await issuerWith({});
    const configured = `${issuer.issuer}/`; // a trailing slash is a different issuer
    const error = await refusal(createAuthFromIssuer({ issuer: configured, audience: AUDIENCE }));
    expect(error.message).toContain(`names issuer "${issuer.issuer}", not the configured "${configured}"`);
  });

  it('refuses metadata without jwks_uri', async () => {
    const base = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer: base }));
    });
    expect((await refusal(createAuthFromIssuer({ issuer: base, audience: AUDIENCE }))).message).toMatch(/no usable jwks_uri/);
  });

  it('lists every URL tried and its answer when nothing is found', async () => {
    const issuer = await issuerWith({});
    const other = issuer.issuer.replace('/oidc', '/nothing-here');
    const error = await refusal(createAuthFromIssuer({ issuer: other, audience: AUDIENCE }));
    expect(error.attempts).toEqual(authorizationServerMetadataUrls(other).map((url) => ({ url, outcome: 'HTTP 404' })));
    for (const url of authorizationServerMetadataUrls(other)) expect(error.message).toContain(`${url} → HTTP 404`);
  });

  it('names the network error of an unreachable issuer in the message', async () => {
    const closed = await serve(() => undefined);
    await cleanups.pop()!();
    const error = await refusal(createAuthFromIssuer({ issuer: `${closed}/oidc`, audience: AUDIENCE }));
    expect(error.message).toContain(`${closed}/oidc/.well-known/openid-configuration → network error: ECONNREFUSED`);
  });
});
