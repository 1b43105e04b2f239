import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as client from 'openid-client';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_PASSWORDS } from '../../src/dev-auth/accounts.js';
import { startDevAuthFixture, TEST_RESOURCE, type DevAuthFixture } from '../helpers/dev-auth-fixture.js';
import { CookieJar, discoverPublicClient, loginWithPassword } from '../helpers/dev-auth-login.js';

describe('state survives a restart on the same data directory', () => {
  let fx: DevAuthFixture;
  beforeAll(async () => {
    fx = await startDevAuthFixture();
  });
  afterAll(() => fx.cleanup());

  it('keeps the signing key, refresh tokens, browser sessions and registered clients', async () => {
    const jar = new CookieJar();
    const before = await loginWithPassword({
      issuer: fx.server.issuer,
      username: 'alice',
      password: DEV_PASSWORDS.alice,
      scope: 'openid offline_access create:todos',
      resource: TEST_RESOURCE,
      jar,
    });
    const jwksBefore = await (await fetch(`${fx.server.issuer}/jwks`)).json();
    const registered = (await (
      await fetch(`${fx.server.issuer}/reg`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ redirect_uris: ['http://127.0.0.1:50500/cb'], token_endpoint_auth_method: 'none', client_name: 'kept' }),
      })
    ).json()) as { client_id: string; registration_access_token: string };

    const issuer = fx.server.issuer;
    await fx.restart();
    expect(fx.server.issuer).toBe(issuer);

    // Same key: a token signed before the restart still verifies against the new JWKS.
    expect(await (await fetch(`${fx.server.issuer}/jwks`)).json()).toEqual(jwksBefore);
    const jwks = createRemoteJWKSet(new URL(`${fx.server.issuer}/jwks`));
    await jwtVerify(before.tokens.access_token, jwks, { issuer, audience: TEST_RESOURCE });

    // The refresh token from before works (and rotates).
    const config = await discoverPublicClient(fx.server.issuer, 'todo-mcp-cli');
    const refreshed = await client.refreshTokenGrant(config, before.tokens.refresh_token!, { resource: TEST_RESOURCE });
    const { payload } = await jwtVerify(refreshed.access_token, jwks, { issuer, audience: TEST_RESOURCE });
    expect(payload).toMatchObject({ sub: 'alice', scope: 'create:todos' });

    // The browser session survived: no sign-in page this time.
    const again = await loginWithPassword({
      issuer: fx.server.issuer,
      config,
      username: 'alice',
      password: DEV_PASSWORDS.alice,
      scope: 'openid create:todos',
      resource: TEST_RESOURCE,
      jar,
    });
    expect(again.pages).toEqual([]);

    // The dynamically registered client is still known.
    const read = await fetch(`${fx.server.issuer}/reg/${registered.client_id}`, {
      headers: { authorization: `Bearer ${registered.registration_access_token}` },
    });
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ client_id: registered.client_id, client_name: 'kept' });
  });

  it('keeps its files private and leaves no temp files behind', async () => {
    expect((await stat(fx.dataDir)).mode & 0o777).toBe(0o700);
    const files = await readdir(fx.dataDir);
    expect(files.sort()).toEqual(['keys.json', 'provider-state.json']);
    for (const file of files) expect((await stat(join(fx.dataDir, file))).mode & 0o777, file).toBe(0o600);
  });
});
