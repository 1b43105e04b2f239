import * as client from 'openid-client';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_PASSWORDS } from '../../src/dev-auth/accounts.js';
import { startDevAuthFixture, TEST_RESOURCE, type DevAuthFixture } from '../helpers/dev-auth-fixture.js';
import { CookieJar, discoverPublicClient, loginWithPassword, parseForms } from '../helpers/dev-auth-login.js';

const SCOPE = 'offline_access create:todos read:todos delete:todos';

describe('"Not alice? Sign in as someone else" on the consent page', () => {
  let fx: DevAuthFixture;
  beforeAll(async () => {
    fx = await startDevAuthFixture();
  });
  afterAll(() => fx.cleanup());

  /** A third-party client (registered like the Inspector does), so the consent page is shown. */
  async function registerClient(redirectUri: string): Promise<string> {
    const res = await fetch(`${fx.server.issuer}/reg`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_name: 'Switching client', redirect_uris: [redirectUri], token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'] }),
    });
    expect(res.status).toBe(201);
    return String(((await res.json()) as { client_id: string }).client_id);
  }

  async function verify(accessToken: string) {
    const jwks = createRemoteJWKSet(new URL(`${fx.server.issuer}/jwks`));
    return (await jwtVerify(accessToken, jwks, { issuer: fx.server.issuer, audience: TEST_RESOURCE, typ: 'at+jwt' })).payload;
  }

  /** Signs alice in through the consent page, leaving her signed in in `jar`. */
  async function aliceSignedIn(clientId: string, redirectUri: string, jar: CookieJar) {
    const first = await loginWithPassword({ issuer: fx.server.issuer, clientId, redirectUri, username: 'alice', password: DEV_PASSWORDS.alice, scope: SCOPE, resource: TEST_RESOURCE, jar });
    expect(first.pages).toEqual(['login', 'consent']);
    return first;
  }

  /** GETs `start` and follows redirects with `jar`, as a browser would, to the page shown. */
  async function open(start: URL, jar: CookieJar): Promise<{ url: URL; status: number; html: string }> {
    let url = start;
    for (let i = 0; i < 10; i += 1) {
      const res = await fetch(url, { headers: { accept: 'text/html', cookie: jar.header(url) }, redirect: 'manual' });
      jar.store(res);
      if (res.status < 300 || res.status >= 400) return { url, status: res.status, html: await res.text() };
      await res.arrayBuffer();
      url = new URL(res.headers.get('location')!, url);
    }
    throw new Error(`too many redirects from ${start}`);
  }

  /** A second authorization for `clientId` (prompt=consent), opened up to its consent page. */
  async function consentPage(clientId: string, redirectUri: string, jar: CookieJar) {
    const config = await discoverPublicClient(fx.server.issuer, clientId);
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: SCOPE,
      resource: TEST_RESOURCE,
      prompt: 'consent',
      code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    const page = await open(url, jar);
    expect(page.html).toContain('act as <strong>alice</strong>');
    const forms = parseForms(page.html);
    const switchForm = forms.find((f) => f.id === 'switch-account-form');
    const consentForm = forms.find((f) => f.id === 'consent-form');
    expect(switchForm, page.html).toBeDefined();
    return { page, switchUrl: new URL(switchForm!.action, page.url), consentUrl: new URL(consentForm!.action, page.url) };
  }

  const post = (url: URL, cookie: string, body = '') =>
    fetch(url, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body });

  it('signs admin in instead of alice for the same authorization request, which ends with a code for admin', async () => {
    const redirectUri = 'http://127.0.0.1:50500/callback';
    const clientId = await registerClient(redirectUri);
    const jar = new CookieJar();
    const alice = await aliceSignedIn(clientId, redirectUri, jar);
    expect(alice.html.consent).toContain('Not alice? Sign in as someone else');

    // Alice is still signed in, so the second request goes straight to consent; the user switches.
    // loginWithPassword checks that the code it redeems answers this request (state, PKCE verifier).
    const admin = await loginWithPassword({
      issuer: fx.server.issuer,
      clientId,
      redirectUri,
      username: 'admin',
      password: DEV_PASSWORDS.admin,
      scope: SCOPE,
      resource: TEST_RESOURCE,
      prompt: 'consent',
      switchAccount: true,
      jar,
    });
    // The old session is ended by the provider's own logout (auto-submitted), then admin consents.
    expect(admin.pages).toEqual(['switch-account', 'login', 'auto-submit', 'consent']);
    expect(admin.html['switch-account']).toContain('act as <strong>alice</strong>');
    expect(admin.html.consent).toContain('act as <strong>admin</strong>');
    const payload = await verify(admin.tokens.access_token);
    expect(payload.sub).toBe('admin');
    expect(payload.client_id).toBe(clientId);
    expect(String(payload.scope).split(' ').sort()).toEqual(['create:todos', 'delete:todos', 'read:todos']);

    // The browser is now admin's: the next request asks no sign-in and consents as admin.
    const next = await loginWithPassword({ issuer: fx.server.issuer, clientId, redirectUri, username: 'nobody', password: 'x', scope: SCOPE, resource: TEST_RESOURCE, prompt: 'consent', jar });
    expect(next.pages).toEqual(['consent']);
    expect((await verify(next.tokens.access_token)).sub).toBe('admin');

    // Ending alice's browser session does not log her out of the app: her offline grant survives.
    const refreshed = await client.refreshTokenGrant(alice.config, alice.tokens.refresh_token!, { resource: TEST_RESOURCE });
    expect(await verify(refreshed.access_token)).toMatchObject({ sub: 'alice', scope: 'create:todos' });
  });

  it('refuses the switch without the interaction cookie or with GET, and then still shows the consent page', async () => {
    const redirectUri = 'http://127.0.0.1:50501/callback';
    const clientId = await registerClient(redirectUri);
    const jar = new CookieJar();
    await aliceSignedIn(clientId, redirectUri, jar);
    const { page, switchUrl } = await consentPage(clientId, redirectUri, jar);

    // Only the session cookie, not the interaction's (as a cross-site POST under SameSite=Lax).
    const sessionOnly = jar.header(new URL('/oidc/auth', switchUrl));
    expect(sessionOnly).not.toBe('');
    const noCookie = await post(switchUrl, sessionOnly);
    expect(noCookie.status).toBe(400);
    expect(await noCookie.text()).toContain('Sign-in expired');

    const get = await fetch(switchUrl, { headers: { cookie: jar.header(switchUrl) }, redirect: 'manual' });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    await get.arrayBuffer();

    const again = await open(page.url, jar);
    expect(again.status).toBe(200);
    expect(parseForms(again.html).map((f) => f.id)).toEqual(['consent-form', 'switch-account-form']);
  });

  it('after the switch, the interaction is a sign-in: the old consent form is refused and a reload shows the sign-in form', async () => {
    const redirectUri = 'http://127.0.0.1:50502/callback';
    const clientId = await registerClient(redirectUri);
    const jar = new CookieJar();
    await aliceSignedIn(clientId, redirectUri, jar);
    const { page, switchUrl, consentUrl } = await consentPage(clientId, redirectUri, jar);

    const switched = await post(switchUrl, jar.header(switchUrl));
    expect(switched.status).toBe(303);
    expect(new URL(switched.headers.get('location')!, switchUrl).href).toBe(page.url.href);
    await switched.arrayBuffer();

    // A consent page left open in another tab must not approve for alice any more.
    const staleApprove = await post(consentUrl, jar.header(consentUrl), 'decision=approve');
    expect(staleApprove.status).toBe(400);
    expect(await staleApprove.text()).toContain('This page is out of date.');
    // Nor can the switch be posted twice.
    const twice = await post(switchUrl, jar.header(switchUrl));
    expect(twice.status).toBe(400);
    await twice.arrayBuffer();

    const reload = await open(page.url, jar);
    expect(reload.status).toBe(200);
    expect(parseForms(reload.html).map((f) => f.id)).toEqual(['login-form']);
  });
});
