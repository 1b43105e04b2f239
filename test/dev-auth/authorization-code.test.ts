import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_PASSWORDS } from '../../src/dev-auth/accounts.js';
import { DEV_CLI_CLIENT_ID } from '../../src/dev-auth/provider-config.js';
import { startDevAuthFixture, TEST_RESOURCE, type DevAuthFixture } from '../helpers/dev-auth-fixture.js';
import { loginWithPassword } from '../helpers/dev-auth-login.js';

const ALL = 'openid offline_access create:todos read:todos delete:todos';

describe('authorization code + PKCE through the real sign-in form', () => {
  let fx: DevAuthFixture;
  beforeAll(async () => {
    fx = await startDevAuthFixture();
  });
  afterAll(() => fx.cleanup());

  async function verify(token: string) {
    const jwks = createRemoteJWKSet(new URL(`${fx.server.issuer}/jwks`));
    return jwtVerify(token, jwks, { issuer: fx.server.issuer, audience: TEST_RESOURCE, typ: 'at+jwt', algorithms: ['ES384'] });
  }

  it('gives alice (User) only create:todos, even when she asks for all three, without a consent screen', async () => {
    const { tokens, callbackUrl, pages } = await loginWithPassword({
      issuer: fx.server.issuer,
      username: 'alice',
      password: DEV_PASSWORDS.alice,
      scope: ALL,
      resource: TEST_RESOURCE,
      // A different port than the registered http://127.0.0.1/callback: RFC 8252 §7.3.
      redirectUri: 'http://127.0.0.1:49152/callback',
    });
    expect(pages).toEqual(['login']);
    expect(callbackUrl.searchParams.get('iss')).toBe(fx.server.issuer);
    expect(tokens.refresh_token).toBeTruthy();
    expect(tokens.scope?.split(' ')).toEqual(expect.arrayContaining(['create:todos']));

    const { payload, protectedHeader } = await verify(tokens.access_token);
    expect(protectedHeader).toMatchObject({ typ: 'at+jwt', alg: 'ES384' });
    expect(payload).toMatchObject({ iss: fx.server.issuer, sub: 'alice', aud: TEST_RESOURCE, client_id: DEV_CLI_CLIENT_ID, scope: 'create:todos' });
    expect(typeof payload.exp).toBe('number');
  });

  it('gives admin all three scopes', async () => {
    const { tokens } = await loginWithPassword({
      issuer: fx.server.issuer,
      username: 'admin',
      password: DEV_PASSWORDS.admin,
      scope: ALL,
      resource: TEST_RESOURCE,
    });
    const { payload } = await verify(tokens.access_token);
    expect(payload.sub).toBe('admin');
    expect(String(payload.scope).split(' ').sort()).toEqual(['create:todos', 'delete:todos', 'read:todos']);
    expect(decodeProtectedHeader(tokens.access_token).kid).toBeTruthy();
  });

  it('keeps the resource on refresh (JWT for the resource) and answers opaque tokens without it, as Logto', async () => {
    const { tokens, config } = await loginWithPassword({
      issuer: fx.server.issuer,
      username: 'admin',
      password: DEV_PASSWORDS.admin,
      scope: 'openid offline_access create:todos read:todos',
      resource: TEST_RESOURCE,
    });
    const client = await import('openid-client');
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!, { resource: TEST_RESOURCE });
    const { payload } = await verify(refreshed.access_token);
    expect(String(payload.scope).split(' ').sort()).toEqual(['create:todos', 'read:todos']);
    // Rotation: a new refresh token replaces the used one.
    expect(refreshed.refresh_token).toBeTruthy();
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);

    // useGrantedResource: () => false — without `resource` (and with openid) the token is for
    // userinfo, opaque, not a JWT for the API.
    const opaque = await client.refreshTokenGrant(config, refreshed.refresh_token!);
    expect(opaque.access_token.split('.')).toHaveLength(1);
  });

  it('publishes identical discovery documents at both well-known URLs, with endpoints under /oidc', async () => {
    const oauth = await fetch(`${fx.server.origin}/.well-known/oauth-authorization-server/oidc`);
    const oidc = await fetch(`${fx.server.issuer}/.well-known/openid-configuration`);
    expect(oauth.status).toBe(200);
    expect(oidc.status).toBe(200);
    const [a, b] = [await oauth.json(), await oidc.json()];
    expect(a).toEqual(b);
    expect(a).toMatchObject({
      issuer: fx.server.issuer,
      authorization_endpoint: `${fx.server.issuer}/auth`,
      token_endpoint: `${fx.server.issuer}/token`,
      jwks_uri: `${fx.server.issuer}/jwks`,
      registration_endpoint: `${fx.server.issuer}/reg`,
      revocation_endpoint: `${fx.server.issuer}/token/revocation`,
      device_authorization_endpoint: `${fx.server.issuer}/device/auth`,
      authorization_response_iss_parameter_supported: true,
      code_challenge_methods_supported: ['S256'],
      response_types_supported: ['code'],
    });
  });

  it('answers CORS preflights on the token, revocation, registration and JWKS endpoints', async () => {
    const origin = 'http://localhost:6274';
    for (const path of ['/token', '/token/revocation', '/reg']) {
      const res = await fetch(`${fx.server.issuer}${path}`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
      expect(res.status, path).toBe(204);
      expect(res.headers.get('access-control-allow-origin'), path).toBe(origin);
      expect(res.headers.get('access-control-allow-methods'), path).toContain('POST');
    }
    const jwks = await fetch(`${fx.server.issuer}/jwks`, { headers: { origin } });
    expect(jwks.headers.get('access-control-allow-origin')).toBe(origin);
  });

  it('refuses a Host header it does not serve (DNS rebinding), and accepts every loopback spelling of its port', async () => {
    const { request } = await import('node:http');
    const statusFor = (host: string) =>
      new Promise<number>((resolve, reject) => {
        request({ host: '127.0.0.1', port: fx.server.port, path: '/oidc/jwks', headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
          .on('error', reject)
          .end();
      });
    const port = fx.server.port;
    for (const host of ['evil.example:80', `evil.example:${port}`, `localhost:${port + 1}`, `evil.example@localhost:${port}`]) {
      expect(await statusFor(host), host).toBe(421);
    }
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
      expect(await statusFor(host), host).toBe(200);
    }
  });

  it('serves its pages with a strict Content-Security-Policy and no external assets', async () => {
    const client = await import('openid-client');
    const config = await client.discovery(new URL(fx.server.issuer), DEV_CLI_CLIENT_ID, undefined, client.None(), {
      execute: [client.allowInsecureRequests],
    });
    const start = client.buildAuthorizationUrl(config, {
      redirect_uri: 'http://127.0.0.1:40000/callback',
      scope: 'openid',
      code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    const redirect = await fetch(start, { redirect: 'manual' });
    expect(redirect.status).toBe(303);
    const loginUrl = new URL(redirect.headers.get('location')!, start);
    expect(loginUrl.pathname).toMatch(/^\/interaction\//);
    const cookie = redirect.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const page = await fetch(loginUrl, { headers: { cookie } });
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    const html = await page.text();
    expect(html).toContain('<form id="login-form" method="post"');
    // Every URL the page references is a path on this server.
    expect([...html.matchAll(/(?:href|src|action)="([^"]*)"/g)].map((m) => m[1]).every((url) => url!.startsWith('/'))).toBe(true);

    // Pages the provider renders itself get the same policy; its one inline auto-submit script
    // (end-session without a session) is allowed by hash only.
    const logout = await fetch(`${fx.server.issuer}/session/end`, { headers: { accept: 'text/html' } });
    expect(logout.status).toBe(200);
    const logoutCsp = logout.headers.get('content-security-policy') ?? '';
    expect(logoutCsp).toContain("default-src 'none'");
    expect(logoutCsp).toMatch(/script-src 'self' 'sha256-[^']+'/);
    expect(await logout.text()).toContain('<script>');
  });

  it('printed nothing while serving those flows', () => {
    expect(fx.logs).toEqual([]);
  });
});
