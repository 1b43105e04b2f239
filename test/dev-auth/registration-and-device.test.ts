import * as client from 'openid-client';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_PASSWORDS } from '../../src/dev-auth/accounts.js';
import { startDevAuthFixture, TEST_RESOURCE, type DevAuthFixture } from '../helpers/dev-auth-fixture.js';
import { approveDeviceLogin, CookieJar, discoverPublicClient, loginWithPassword } from '../helpers/dev-auth-login.js';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

describe('dynamic client registration and the device grant', () => {
  let fx: DevAuthFixture;
  beforeAll(async () => {
    fx = await startDevAuthFixture();
  });
  afterAll(() => fx.cleanup());

  async function scopesOf(accessToken: string): Promise<string[]> {
    const jwks = createRemoteJWKSet(new URL(`${fx.server.issuer}/jwks`));
    const { payload } = await jwtVerify(accessToken, jwks, { issuer: fx.server.issuer, audience: TEST_RESOURCE, typ: 'at+jwt' });
    return String(payload.scope).split(' ').sort();
  }

  /** Registers a public client the way the MCP SDK and the Inspector do: API scopes in `scope`. */
  async function register(redirectUri: string) {
    const res = await fetch(`${fx.server.issuer}/reg`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://localhost:6274' },
      body: JSON.stringify({
        client_name: 'Scripted <MCP> client',
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
        scope: 'create:todos read:todos delete:todos offline_access',
      }),
    });
    return { res, body: (await res.json()) as Record<string, unknown> };
  }

  it('registers a client that sends the API scopes, then it signs alice in through a consent page', async () => {
    const redirectUri = 'http://127.0.0.1:50400/oauth/callback';
    const { res, body } = await register(redirectUri);
    expect(res.status, JSON.stringify(body)).toBe(201);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:6274');
    expect(typeof body.client_id).toBe('string');
    expect(body.scope).toBe('offline_access');

    const jar = new CookieJar();
    const login = await loginWithPassword({
      issuer: fx.server.issuer,
      clientId: String(body.client_id),
      redirectUri,
      username: 'alice',
      password: DEV_PASSWORDS.alice,
      scope: 'offline_access create:todos read:todos delete:todos',
      resource: TEST_RESOURCE,
      jar,
    });
    expect(login.pages).toEqual(['login', 'consent']);
    expect(await scopesOf(login.tokens.access_token)).toEqual(['create:todos']);
    expect(login.tokens.refresh_token).toBeTruthy();

    // The consent page names the client (escaped) and lists the scopes, marking those alice's role lacks.
    const consent = login.html.consent ?? '';
    expect(consent).toContain('Scripted &lt;MCP&gt; client');
    expect(consent).toMatch(/<code>create:todos<\/code> — Create new todo items<\/li>/);
    expect(consent).toMatch(/<code>read:todos<\/code>[^<]*<span class="muted">\(not granted/);
    expect(consent).toContain('<code>offline_access</code>');

    // Same browser, same request without prompt=consent: neither sign-in nor consent again,
    // because the denied scopes were recorded as rejected in the grant.
    const again = await loginWithPassword({
      issuer: fx.server.issuer,
      clientId: String(body.client_id),
      redirectUri,
      username: 'alice',
      password: DEV_PASSWORDS.alice,
      scope: 'create:todos read:todos delete:todos',
      resource: TEST_RESOURCE,
      jar,
    });
    expect(again.pages).toEqual([]);
    expect(await scopesOf(again.tokens.access_token)).toEqual(['create:todos']);
  });

  it('sends access_denied back to a registered client when the user denies consent', async () => {
    const redirectUri = 'http://127.0.0.1:50401/cb';
    const { body } = await register(redirectUri);
    await expect(
      loginWithPassword({
        issuer: fx.server.issuer,
        clientId: String(body.client_id),
        redirectUri,
        username: 'admin',
        password: DEV_PASSWORDS.admin,
        scope: 'create:todos',
        resource: TEST_RESOURCE,
        consent: 'deny',
      }),
    ).rejects.toMatchObject({ error: 'access_denied' });
  });

  it('still rejects registration scopes it does not know (invalid_client_metadata)', async () => {
    const res = await fetch(`${fx.server.issuer}/reg`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: ['http://127.0.0.1/cb'], token_endpoint_auth_method: 'none', scope: 'create:todos launch:rockets' }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_client_metadata' });
  });

  it('completes the device grant for the CLI client with a scripted approval', async () => {
    const config = await discoverPublicClient(fx.server.issuer, 'todo-mcp-cli');
    const device = await client.initiateDeviceAuthorization(config, {
      scope: 'openid offline_access create:todos read:todos delete:todos',
      resource: TEST_RESOURCE,
    });
    expect(device.verification_uri).toBe(`${fx.server.issuer}/device`);
    const token = (extra: Record<string, string> = {}) =>
      client.genericGrantRequest(config, DEVICE_GRANT, { device_code: device.device_code, resource: TEST_RESOURCE, ...extra });

    await expect(token()).rejects.toMatchObject({ error: 'authorization_pending' });

    const walk = await approveDeviceLogin({ verificationUri: device.verification_uri, userCode: device.user_code, username: 'admin', password: DEV_PASSWORDS.admin });
    expect(walk.pages).toEqual(['device-input', 'device-confirm', 'login']);
    expect(walk.finalPage?.status).toBe(200);
    expect(walk.finalPage?.html).toContain('Device connected');
    expect(walk.html['device-confirm']).toContain(device.user_code);
    // No inline handler for the CSP to block on the code page.
    expect(walk.html['device-input']).not.toMatch(/\son\w+="/);

    const tokens = await token();
    expect(await scopesOf(tokens.access_token)).toEqual(['create:todos', 'delete:todos', 'read:todos']);
    expect(tokens.refresh_token).toBeTruthy();
    // The device code is single-use.
    await expect(token()).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('shows an error for a wrong user code and issues nothing', async () => {
    const walk = await approveDeviceLogin({ verificationUri: `${fx.server.issuer}/device`, userCode: 'BCDF-GHJK', username: 'bob', password: DEV_PASSWORDS.bob });
    expect(walk.pages).toEqual(['device-input']);
    expect(walk.finalPage?.html).toContain('That code is not valid');
  });
});
