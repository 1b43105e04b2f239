import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as client from 'openid-client';
import { decodeJwt } from 'jose';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_PASSWORDS } from '../../src/dev-auth/accounts.js';
import { startDevAuthFixture, TEST_RESOURCE, type DevAuthFixture } from '../helpers/dev-auth-fixture.js';
import { discoverPublicClient } from '../helpers/dev-auth-login.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);

describe.skipIf(!hasChromium)(`sign-in in a real browser (skipped when ${CHROMIUM} is not installed)`, () => {
  let fx: DevAuthFixture;
  let browser: Browser;
  let callback: Server;
  let callbackPort: number;
  const callbacks: URL[] = [];

  beforeAll(async () => {
    fx = await startDevAuthFixture();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    // The native client's loopback redirect target, as the CLI would run it.
    callback = createServer((req, res) => {
      const url = new URL(req.url ?? '/', `http://127.0.0.1:${callbackPort}`);
      // Chromium also asks for /favicon.ico.
      if (url.pathname === '/callback') callbacks.push(url);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('You can close this window.');
    });
    await new Promise<void>((resolve) => callback.listen(0, '127.0.0.1', resolve));
    callbackPort = (callback.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await browser?.close();
    callback?.closeAllConnections();
    await new Promise((resolve) => callback?.close(resolve));
    await fx?.cleanup();
  });

  it('signs alice in through the real page: error on a wrong password, then a code, then a token', async () => {
    const config = await discoverPublicClient(fx.server.issuer, 'todo-mcp-cli');
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const redirectUri = `http://127.0.0.1:${callbackPort}/callback`;
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid create:todos read:todos',
      resource: TEST_RESOURCE,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    });

    const page = await browser.newPage();
    const cspViolations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    const stylesheet = page.waitForResponse((response) => response.url().endsWith('/assets/dev-auth.css'));
    await page.goto(url.href);
    expect((await stylesheet).status()).toBe(200);
    expect(await page.textContent('h1'), await page.content()).toBe('Sign in');
    expect(new URL(page.url()).origin).toBe(fx.server.origin);
    // The stylesheet applied (the CSP lets our own stylesheet through).
    // (Typed by hand: this file is type-checked without the DOM library.)
    type Styles = { getComputedStyle(el: unknown): { maxWidth: string } };
    expect(await page.locator('main').evaluate((el) => (globalThis as unknown as Styles).getComputedStyle(el).maxWidth)).toBe('416px');

    await page.fill('#username', 'alice');
    await page.fill('#password', 'wrong');
    await page.click('button[type=submit]');
    await page.waitForSelector('[role=alert]');
    expect(await page.textContent('[role=alert]')).toContain('Wrong username or password.');
    expect(callbacks).toHaveLength(0);

    await page.fill('#password', DEV_PASSWORDS.alice);
    await Promise.all([page.waitForURL((u) => u.port === String(callbackPort)), page.click('button[type=submit]')]);
    expect(await page.textContent('body')).toContain('You can close this window.');
    expect(cspViolations).toEqual([]);

    expect(callbacks).toHaveLength(1);
    const tokens = await client.authorizationCodeGrant(config, callbacks[0]!, { pkceCodeVerifier: verifier, expectedState: state }, { resource: TEST_RESOURCE });
    expect(decodeJwt(tokens.access_token)).toMatchObject({ sub: 'alice', aud: TEST_RESOURCE, scope: 'create:todos' });
    await page.close();
  });

  it('switches from alice to admin on the consent page: the provider\'s logout step runs under the CSP, and the code is for admin', async () => {
    const redirectUri = `http://127.0.0.1:${callbackPort}/callback`;
    // A registered (third-party) client, as the Inspector is, so the consent page is shown.
    const registered = await fetch(`${fx.server.issuer}/reg`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_name: 'Browser client', redirect_uris: [redirectUri], token_endpoint_auth_method: 'none' }),
    });
    const clientId = String(((await registered.json()) as { client_id: string }).client_id);
    const config = await discoverPublicClient(fx.server.issuer, clientId);
    const authorize = async (prompt?: string) => {
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: 'create:todos read:todos delete:todos',
        resource: TEST_RESOURCE,
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        ...(prompt ? { prompt } : {}),
      });
      return { url, checks: { pkceCodeVerifier: verifier, expectedState: state } };
    };
    const toCallback = (page: Page) => page.waitForURL((u) => u.port === String(callbackPort) && u.pathname === '/callback');

    const page = await browser.newPage();
    const cspViolations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    const first = await authorize();
    await page.goto(first.url.href);
    await page.fill('#username', 'alice');
    await page.fill('#password', DEV_PASSWORDS.alice);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#consent-form');
    await Promise.all([toCallback(page), page.click('#consent-form button[value=approve]')]);

    const second = await authorize('consent');
    await page.goto(second.url.href);
    await page.waitForSelector('#switch-account-form');
    expect(await page.textContent('#switch-account-form button')).toBe('Not alice? Sign in as someone else');
    await page.click('#switch-account-form button');
    await page.waitForSelector('#login-form');
    await page.fill('#username', 'admin');
    await page.fill('#password', DEV_PASSWORDS.admin);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#consent-form');
    expect(await page.textContent('main')).toContain('act as admin');
    const before = callbacks.length;
    await Promise.all([toCallback(page), page.click('#consent-form button[value=approve]')]);
    expect(cspViolations).toEqual([]);

    expect(callbacks).toHaveLength(before + 1);
    const tokens = await client.authorizationCodeGrant(config, callbacks.at(-1)!, second.checks, { resource: TEST_RESOURCE });
    const claims = decodeJwt(tokens.access_token);
    expect(claims).toMatchObject({ sub: 'admin', aud: TEST_RESOURCE, client_id: clientId });
    expect(String(claims.scope).split(' ').sort()).toEqual(['create:todos', 'delete:todos', 'read:todos']);
    await page.close();
  });
});
