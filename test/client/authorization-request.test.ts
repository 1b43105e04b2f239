import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import { authorizeInBrowser } from '../../src/client/authorize.js';
import { startLoopbackListener } from '../../src/client/loopback-listener.js';
import { openIdConfiguration } from '../../src/client/openid-configuration.js';

/** A provider that takes `audience` (Auth0-style): the test records what the CLI sends it over real HTTP. */
let server: Server;
let issuer: string;
const tokenRequests: URLSearchParams[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      if (req.url === '/token') {
        tokenRequests.push(new URLSearchParams(body));
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: 'at', token_type: 'Bearer', expires_in: 60 }));
        return;
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('audience parameter for providers that use one', () => {
  it('goes on the authorization request and the token request, beside resource', async () => {
    const metadata = { issuer, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token`, code_challenge_methods_supported: ['S256'] };
    const config = openIdConfiguration({ metadata, client: { clientId: 'cli', authMethod: 'none', kind: 'pre-registered' } });
    const state = oidc.randomState();
    const listener = await startLoopbackListener({ state });
    let authorizationUrl: URL | undefined;
    const tokens = await authorizeInBrowser({
      config,
      listener,
      state,
      scopes: ['create:todos'],
      resource: 'http://localhost:3001',
      audience: 'todo-api',
      timeoutMs: 5_000,
      openUrl: async (url) => {
        authorizationUrl = new URL(url);
        const redirect = new URL(authorizationUrl.searchParams.get('redirect_uri')!);
        redirect.search = new URLSearchParams({ code: 'the-code', state: authorizationUrl.searchParams.get('state')! }).toString();
        await fetch(redirect);
      },
    });
    await listener.close();
    expect(tokens.access_token).toBe('at');
    expect(authorizationUrl!.searchParams.get('audience')).toBe('todo-api');
    expect(authorizationUrl!.searchParams.get('resource')).toBe('http://localhost:3001');
    expect(tokenRequests.at(-1)!.get('audience')).toBe('todo-api');
    expect(tokenRequests.at(-1)!.get('resource')).toBe('http://localhost:3001');
  });

  it('--switch-user sends prompt=login (with consent when offline_access is asked for)', async () => {
    const metadata = { issuer, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token`, code_challenge_methods_supported: ['S256'] };
    const config = openIdConfiguration({ metadata, client: { clientId: 'cli', authMethod: 'none', kind: 'pre-registered' } });
    const prompts: Array<string | null> = [];
    for (const forceSignIn of [true, false]) {
      const state = oidc.randomState();
      const listener = await startLoopbackListener({ state });
      await authorizeInBrowser({
        config,
        listener,
        state,
        scopes: ['create:todos', 'offline_access'],
        resource: 'http://localhost:3001',
        forceSignIn,
        timeoutMs: 5_000,
        openUrl: async (url) => {
          const request = new URL(url);
          prompts.push(request.searchParams.get('prompt'));
          const redirect = new URL(request.searchParams.get('redirect_uri')!);
          redirect.search = new URLSearchParams({ code: 'c', state: request.searchParams.get('state')! }).toString();
          await fetch(redirect);
        },
      });
      await listener.close();
    }
    expect(prompts).toEqual(['login consent', 'consent']);
  });
});
