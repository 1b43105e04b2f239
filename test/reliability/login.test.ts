import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/cli-error.js';
import { DEV_PASSWORDS } from '../../src/dev-auth/accounts.js';
import { landOnCallback, signInWithForm, type BrowserBehaviour } from '../helpers/browser-relay.js';
import { startClientFixture, type ClientFixture } from '../helpers/browser-login-fixture.js';
import { browse } from '../helpers/dev-auth-login.js';
import { reportFigures } from './helpers/figures.js';

/**
 * Login hardening, end to end: the real `todo-mcp login` process, the real embedded authorization server,
 * and a "browser" (the BROWSER relay) that turns hostile. Every attack must be refused with a clear message
 * (exit 3, nothing saved), and an attack on the side must not get in the way of the real login.
 */

let fx: ClientFixture;
let attacks = 0;
let requests = 0;

beforeAll(async () => {
  fx = await startClientFixture();
});

afterAll(async () => {
  await fx?.close();
  reportFigures('login', { requestsSent: requests, concurrentClients: 3, fuzzCasesTried: attacks });
});

const redirectOf = (authorizationUrl: URL) => new URL(authorizationUrl.searchParams.get('redirect_uri')!);
const isCallback = (url: URL) => url.hostname === '127.0.0.1' && url.pathname === '/callback';

/** Signs alice in on the real pages and returns the callback URL instead of visiting it. */
async function walkToCallback(url: URL): Promise<URL> {
  const walk = await browse(url, { username: 'alice', password: DEV_PASSWORDS.alice, isCallback });
  if (!walk.callbackUrl) throw new Error(`sign-in did not reach the callback: ${walk.pages.join(', ')}`);
  return walk.callbackUrl;
}

/** Opens a TCP connection; resolves with the error code ('connected' when it was accepted). */
function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(3_000, () => {
      socket.destroy();
      resolve('ETIMEDOUT');
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/** The machine's addresses other than 127.0.0.1 (the listener must not be reachable on any of them). */
function otherAddresses(): string[] {
  const addresses = Object.entries(networkInterfaces()).flatMap(([name, list]) =>
    (list ?? [])
      .filter((a) => a.address !== '127.0.0.1')
      // A link-local IPv6 address is only reachable through its interface: fe80::1%eth0.
      .map((a) => (a.family === 'IPv6' && a.scopeid ? `${a.address}%${name}` : a.address)),
  );
  return [...new Set(addresses)];
}

async function login(behaviour: BrowserBehaviour, args: string[] = []): Promise<{ code: number | null; stderr: string; stdout: string; saved: boolean; failures: Error[] }> {
  attacks += 1;
  const user = await fx.user('alice', behaviour);
  const result = await user.cli(['login', '--client-id', 'todo-mcp-cli', '--timeout', '30', ...args, fx.server.mcpUrl], { spawn: true });
  await user.relay.settled();
  const saved = ((await user.tokens())?.entries ?? []).length > 0;
  return { ...result, saved, failures: user.relay.failures };
}

describe('login hardening (todo-mcp login against hostile redirects and servers)', () => {
  it('a forged callback with the wrong state is refused, and the login abandoned', async () => {
    const result = await login(async (url) => {
      const callback = redirectOf(url);
      callback.search = new URLSearchParams({ code: 'attacker-code', state: 'attacker-state', iss: fx.server.issuer }).toString();
      requests += 1;
      const page = await landOnCallback(callback);
      expect(page.status).toBe(400);
      expect(page.html).toContain('state mismatch');
    });
    expect(result.failures).toEqual([]);
    expect(result.code).toBe(EXIT.notAuthenticated);
    expect(result.stderr).toContain('state that does not match this login');
    expect(result.saved).toBe(false);
  });

  it('the callback listener cannot be reached from another address of this machine (it binds 127.0.0.1 only)', async () => {
    const others = otherAddresses();
    const seen: Array<[string, string]> = [];
    const result = await login(async (url) => {
      const port = Number(redirectOf(url).port);
      for (const address of others) {
        requests += 1;
        seen.push([address, await tryConnect(address, port)]);
      }
      await signInWithForm({ username: 'alice', password: DEV_PASSWORDS.alice })(url);
    });
    if (others.length === 0) process.stdout.write('login: this machine has no address besides 127.0.0.1; only the bind itself was checked\n');
    else process.stdout.write(`login: callback port refused on ${seen.map(([a, r]) => `${a} (${r})`).join(', ')}\n`);
    for (const [address, outcome] of seen) expect(`${address}: ${outcome}`).toBe(`${address}: ECONNREFUSED`);
    // The refused attempts did not disturb the real login.
    expect(result.failures).toEqual([]);
    expect(result.code, result.stderr).toBe(EXIT.ok);
    expect(result.saved).toBe(true);
  });

  it('the callback answers one redirect only: stray paths get 404, a replay and a racing duplicate are refused', async () => {
    const outcomes: string[] = [];
    const result = await login(async (url) => {
      const callback = await walkToCallback(url);
      // Probes before the real redirect: other paths must not end (or satisfy) the login.
      for (const path of ['/favicon.ico', '/callback/extra', '/']) {
        requests += 1;
        const probe = new URL(path, callback);
        probe.search = callback.search;
        expect((await fetch(probe)).status).toBe(404);
      }
      // The real redirect and a copy of it, at the same time: exactly one may succeed.
      requests += 2;
      const race = await Promise.all([callback, new URL(callback)].map((u) => fetch(u).then((r) => String(r.status), (e: Error) => (e.cause as NodeJS.ErrnoException)?.code ?? e.message)));
      outcomes.push(...race);
      // A replay once the login is under way: the listener is gone.
      await new Promise((resolve) => setTimeout(resolve, 200));
      requests += 1;
      outcomes.push(await fetch(callback).then((r) => String(r.status), (e: Error) => (e.cause as NodeJS.ErrnoException)?.code ?? e.message));
    });
    expect(result.failures).toEqual([]);
    expect(result.code, result.stderr).toBe(EXIT.ok);
    expect(outcomes.filter((o) => o === '200')).toHaveLength(1);
    for (const other of outcomes.filter((o) => o !== '200')) expect(['404', 'ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET']).toContain(other);
    expect(outcomes[2]).toBe('ECONNREFUSED');
  });

  it('an authorization response whose iss names another issuer is refused (RFC 9207 mix-up defence)', async () => {
    const result = await login(async (url) => {
      const callback = await walkToCallback(url);
      callback.searchParams.set('iss', 'https://attacker.example/oidc');
      requests += 1;
      await landOnCallback(callback);
    });
    expect(result.failures).toEqual([]);
    expect(result.code).toBe(EXIT.notAuthenticated);
    expect(result.stderr).toContain('"https://attacker.example/oidc"');
    expect(result.stderr).toMatch(/not .*; the login was abandoned/);
    expect(result.saved).toBe(false);
  });

  it('an authorization response without iss, from a server that promises one, is refused', async () => {
    const result = await login(async (url) => {
      const callback = await walkToCallback(url);
      callback.searchParams.delete('iss');
      requests += 1;
      await landOnCallback(callback);
    });
    expect(result.code).toBe(EXIT.notAuthenticated);
    expect(result.stderr).toMatch(/promises an "iss" parameter on its redirect, but the redirect had none/);
    expect(result.saved).toBe(false);
  });

  it('an error redirect carrying markup is reported, and shown escaped on the callback page', async () => {
    let html = '';
    const result = await login(async (url) => {
      const callback = redirectOf(url);
      callback.search = new URLSearchParams({
        state: url.searchParams.get('state')!,
        error: 'access_denied',
        error_description: '<script>alert(document.cookie)</script><img src=x onerror=alert(1)>',
      }).toString();
      requests += 1;
      ({ html } = await landOnCallback(callback));
    });
    expect(result.code).toBe(EXIT.notAuthenticated);
    expect(result.stderr).toContain('access_denied');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;');
  });

  describe('servers that lie in their metadata', () => {
    let fake: Server;
    let base = '';
    /** What the fake server publishes; each test sets it. */
    let documents: { prm: (origin: string) => unknown; as: (origin: string) => unknown } = { prm: () => ({}), as: () => ({}) };

    beforeAll(async () => {
      fake = createServer((req, res) => {
        requests += 1;
        const path = new URL(req.url ?? '/', 'http://x').pathname;
        const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
          res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
        if (path === '/mcp') return json(401, { error: 'invalid_token' }, { 'www-authenticate': `Bearer resource_metadata="${base}/.well-known/oauth-protected-resource/mcp"` });
        if (path.startsWith('/.well-known/oauth-protected-resource')) return json(200, documents.prm(base));
        if (path === '/.well-known/oauth-authorization-server/oidc') return json(200, documents.as(base));
        json(404, { error: 'not found' });
      });
      await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      fake.closeAllConnections();
      await new Promise((resolve) => fake.close(resolve));
    });

    const asMetadata = (origin: string, overrides: Record<string, unknown> = {}) => ({
      issuer: `${origin}/oidc`,
      authorization_endpoint: `${origin}/oidc/auth`,
      token_endpoint: `${origin}/oidc/token`,
      registration_endpoint: `${origin}/oidc/reg`,
      code_challenge_methods_supported: ['S256'],
      response_types_supported: ['code'],
      ...overrides,
    });

    const cases: Array<{ name: string; prm: (origin: string) => unknown; as: (origin: string) => unknown; message: RegExp }> = [
      {
        name: 'authorization server metadata whose issuer differs from the discovery URL',
        prm: (o) => ({ resource: o, authorization_servers: [`${o}/oidc`] }),
        as: (o) => asMetadata(o, { issuer: 'https://attacker.example/oidc' }),
        message: /names the issuer "https:\/\/attacker\.example\/oidc", but the resource points to "http:\/\/127\.0\.0\.1:\d+\/oidc"/,
      },
      {
        name: 'an issuer that differs only by a trailing slash',
        prm: (o) => ({ resource: o, authorization_servers: [`${o}/oidc`] }),
        as: (o) => asMetadata(o, { issuer: `${o}/oidc/` }),
        message: /they must be identical/,
      },
      {
        name: 'protected resource metadata for another resource',
        prm: () => ({ resource: 'https://bank.example/api', authorization_servers: ['https://bank.example/oidc'] }),
        as: (o) => asMetadata(o),
        message: /is for https:\/\/bank\.example\/api, not for .*refusing to log in to another resource/,
      },
      {
        name: 'an authorization server without PKCE S256',
        prm: (o) => ({ resource: o, authorization_servers: [`${o}/oidc`] }),
        as: (o) => asMetadata(o, { code_challenge_methods_supported: ['plain'] }),
        message: /does not offer PKCE with S256/,
      },
    ];

    for (const c of cases) {
      it(`${c.name}: refused before any browser opens`, async () => {
        attacks += 1;
        documents = { prm: c.prm, as: c.as };
        const user = await fx.user('alice');
        const result = await user.cli(['login', '--timeout', '10', `${base}/mcp`], { spawn: true });
        expect(result.code, result.stderr).toBe(EXIT.notAuthenticated);
        expect(result.stderr).toMatch(c.message);
        expect(user.relay.opened).toEqual([]);
        expect(await user.tokens()).toBeUndefined();
      });
    }
  });
});
