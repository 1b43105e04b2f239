import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_PASSWORDS } from '../../src/dev-auth/accounts.js';
import { startDevAuthFixture, TEST_RESOURCE, type DevAuthFixture } from '../helpers/dev-auth-fixture.js';
import { browse, discoverPublicClient, loginWithPassword } from '../helpers/dev-auth-login.js';

const REDIRECT = 'http://127.0.0.1:50123/callback';
const isCallback = (url: URL) => url.origin === 'http://127.0.0.1:50123';

/** The OAuth error a token-endpoint call was refused with. */
async function oauthError(call: Promise<unknown>): Promise<string | undefined> {
  try {
    await call;
  } catch (error) {
    return (error as { error?: string }).error;
  }
  return undefined;
}

describe('requests the server must refuse', () => {
  let fx: DevAuthFixture;
  let config: client.Configuration;
  beforeAll(async () => {
    fx = await startDevAuthFixture();
    config = await discoverPublicClient(fx.server.issuer, 'todo-mcp-cli');
  });
  afterAll(() => fx.cleanup());

  /** Sends an authorization request and returns the error redirected back to the client. */
  async function authorizationError(params: Record<string, string>) {
    const url = new URL(`${fx.server.issuer}/auth`);
    const all = { client_id: 'todo-mcp-cli', response_type: 'code', redirect_uri: REDIRECT, scope: 'openid create:todos', state: 's1', ...params };
    for (const [k, v] of Object.entries(all)) if (v !== '') url.searchParams.set(k, v);
    const walk = await browse(url, { username: 'alice', password: DEV_PASSWORDS.alice, isCallback });
    expect(walk.callbackUrl, 'the error must be redirected to the client').toBeDefined();
    expect(walk.pages, 'no sign-in page before refusing').toEqual([]);
    return Object.fromEntries(walk.callbackUrl!.searchParams);
  }

  it('refuses an authorization request without PKCE (invalid_request)', async () => {
    const answer = await authorizationError({});
    expect(answer).toMatchObject({ error: 'invalid_request', state: 's1', iss: fx.server.issuer });
    expect(answer.code).toBeUndefined();
    expect(answer.error_description).toMatch(/PKCE/);
  });

  it('refuses plain PKCE (invalid_request)', async () => {
    const answer = await authorizationError({ code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' });
    expect(answer).toMatchObject({ error: 'invalid_request' });
    expect(answer.code).toBeUndefined();
  });

  it('refuses an unknown resource at the authorization endpoint (invalid_target)', async () => {
    const answer = await authorizationError({
      code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
      resource: 'http://localhost:3001/', // trailing slash: not the registered indicator (exact match)
    });
    expect(answer).toMatchObject({ error: 'invalid_target' });
  });

  it('shows an error on a wrong password and issues no code', async () => {
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'openid create:todos',
      code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
      resource: TEST_RESOURCE,
    });
    const walk = await browse(url, { username: 'alice', password: 'not-her-password', isCallback });
    expect(walk.callbackUrl).toBeUndefined();
    expect(walk.pages).toEqual(['login', 'login-error']);
    expect(walk.finalPage?.status).toBe(401);
    expect(walk.finalPage?.html).toContain('Wrong username or password.');
    // The username is echoed back, escaped.
    expect(walk.finalPage?.html).toContain('value="alice"');
  });

  it('escapes what the user typed on the sign-in page', async () => {
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'openid',
      code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    const walk = await browse(url, { username: '"><script>alert(1)</script>', password: 'x', isCallback });
    expect(walk.finalPage?.html).not.toContain('<script>');
    expect(walk.finalPage?.html).toContain('&quot;&gt;&lt;script&gt;');
  });

  it('refuses an unknown resource at the token endpoint (invalid_target)', async () => {
    const { tokens } = await loginWithPassword({
      issuer: fx.server.issuer,
      config,
      username: 'alice',
      password: DEV_PASSWORDS.alice,
      scope: 'openid offline_access create:todos',
      resource: TEST_RESOURCE,
    });
    const error = await oauthError(client.refreshTokenGrant(config, tokens.refresh_token!, { resource: 'http://localhost:9999' }));
    expect(error).toBe('invalid_target');
  });

  it('revokes the whole grant when a rotated refresh token is reused (invalid_grant)', async () => {
    const { tokens } = await loginWithPassword({
      issuer: fx.server.issuer,
      config,
      username: 'alice',
      password: DEV_PASSWORDS.alice,
      scope: 'openid offline_access create:todos',
      resource: TEST_RESOURCE,
    });
    const first = tokens.refresh_token!;
    const rotated = await client.refreshTokenGrant(config, first, { resource: TEST_RESOURCE });
    expect(await oauthError(client.refreshTokenGrant(config, first, { resource: TEST_RESOURCE }))).toBe('invalid_grant');
    // Reuse signals theft: the newer token of the same grant is gone too.
    expect(await oauthError(client.refreshTokenGrant(config, rotated.refresh_token!, { resource: TEST_RESOURCE }))).toBe('invalid_grant');
  });

  it('revokes a refresh token at the revocation endpoint', async () => {
    const { tokens } = await loginWithPassword({
      issuer: fx.server.issuer,
      config,
      username: 'bob',
      password: DEV_PASSWORDS.bob,
      scope: 'openid offline_access create:todos',
      resource: TEST_RESOURCE,
    });
    await client.tokenRevocation(config, tokens.refresh_token!);
    expect(await oauthError(client.refreshTokenGrant(config, tokens.refresh_token!, { resource: TEST_RESOURCE }))).toBe('invalid_grant');
  });

  it('refuses a redirect URI that is not registered (no redirect, error page)', async () => {
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: 'http://127.0.0.1:50123/elsewhere',
      scope: 'openid',
      code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    const walk = await browse(url, { username: 'alice', password: DEV_PASSWORDS.alice, isCallback: () => true });
    expect(walk.callbackUrl).toBeUndefined();
    expect(walk.finalPage?.status).toBe(400);
    expect(walk.finalPage?.html).toContain('redirect_uri');
  });
});
