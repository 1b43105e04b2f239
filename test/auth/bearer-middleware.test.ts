import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBearerAuth, identityOf, type AuthLog } from '../../src/auth/bearer-middleware.js';
import type { TokenVerifier } from '../../src/auth/identity.js';
import { OAuthError } from '../../src/auth/oauth-error.js';
import { createTokenVerifier } from '../../src/auth/token-verifier.js';
import { startTestIssuer, type TestIssuer } from '../helpers/test-issuer.js';
import { AUDIENCE, REJECTED_TOKENS } from './token-cases.js';

const PRM = 'http://localhost:3001/.well-known/oauth-protected-resource';
const CHALLENGE_401 = `Bearer scope="create:todos read:todos", resource_metadata="${PRM}"`;

let issuer: TestIssuer;
let server: Server;
let base: string;
const warnings: Array<{ message: string; fields?: Record<string, unknown> }> = [];

/** Mounts the middleware with `verifier` under `/<path>` and echoes the identity it produced. */
function protectedRoute(app: express.Express, path: string, verifier: TokenVerifier): void {
  const log: AuthLog = { warn: (message, fields) => warnings.push({ message, fields }) };
  const auth = createBearerAuth({ verifier, resourceMetadataUrl: PRM, challengeScopes: ['create:todos', 'read:todos'], log });
  app.all(`/${path}`, auth, (_req, res) => {
    res.json(identityOf(res));
  });
}

beforeAll(async () => {
  issuer = await startTestIssuer();
  const app = express();
  app.use(express.json(), express.urlencoded({ extended: false }));
  protectedRoute(app, 'mcp', createTokenVerifier({ issuer: issuer.issuer, audience: AUDIENCE, jwksUri: issuer.jwksUri, jwksCooldownMs: 0 }));
  protectedRoute(app, 'crashing', { verify: () => Promise.reject(new Error('database on fire')) });
  protectedRoute(app, 'hostile', {
    verify: () => Promise.reject(new OAuthError('invalid_token', 'bad "quote" \\ and\r\nX-Injected: yes')),
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await issuer.close();
});

const get = (path: string, authorization?: string, init: RequestInit = {}) =>
  fetch(`${base}${path}`, { ...init, headers: { ...(authorization ? { authorization } : {}), ...(init.headers as object) } });

async function expectError(response: Response, status: number, error: string, description?: string) {
  expect(response.status).toBe(status);
  const header = response.headers.get('www-authenticate') ?? '';
  expect(header).toMatch(new RegExp(`^Bearer error="${error}", error_description="[^"]+", scope="create:todos read:todos", resource_metadata="${PRM}"$`));
  expect(response.headers.get('cache-control')).toBe('no-store');
  const body = (await response.json()) as { error: string; error_description: string };
  expect(body.error).toBe(error);
  if (description) {
    expect(body.error_description).toBe(description);
    expect(header).toContain(`error_description="${description}"`);
  }
}

describe('createBearerAuth over HTTP', () => {
  it('answers a request without credentials with 401 and a challenge that has no error code', async () => {
    const response = await get('/mcp');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(CHALLENGE_401);
    expect(await response.json()).not.toHaveProperty('error');
  });

  it('treats an unsupported scheme like no credentials (401, no error code)', async () => {
    const response = await get('/mcp', `Basic ${Buffer.from('a:b').toString('base64')}`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(CHALLENGE_401);
  });

  for (const [name, header] of [
    ['an empty bearer token', 'Bearer'],
    ['an empty bearer token with spaces', 'Bearer    '],
    ['two tokens', 'Bearer abc def'],
    ['a token with characters outside token68', 'Bearer abc,def'],
  ] as const) {
    it(`answers ${name} with 400 invalid_request`, async () => {
      await expectError(await get('/mcp', header), 400, 'invalid_request');
    });
  }

  it('answers two Authorization headers with 400 invalid_request', async () => {
    const token = await issuer.sign();
    const { status, header } = await new Promise<{ status: number; header: string }>((resolve, reject) => {
      const req = httpRequest(`${base}/mcp`, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, header: String(res.headers['www-authenticate']) });
      });
      req.setHeader('Authorization', [`Bearer ${token}`, 'Bearer other']);
      req.on('error', reject).end();
    });
    expect(status).toBe(400);
    expect(header).toContain('error="invalid_request"');
  });

  it('accepts a valid token (scheme case-insensitive) and exposes the identity', async () => {
    const token = await issuer.sign({ sub: 'alice', scope: 'create:todos read:todos', client_id: 'cli' });
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      const response = await get('/mcp', `${scheme} ${token}`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ sub: 'alice', scopes: ['create:todos', 'read:todos'], clientId: 'cli' });
    }
  });

  it('reads the token the same however the header spaces it', async () => {
    const token = await issuer.sign({ sub: 'spaced' });
    for (const header of [`Bearer  ${token}`, `Bearer\t${token}`, `bEaReR ${token}`, `Bearer ${token}   `]) {
      const response = await get('/mcp', header);
      expect(response.status, JSON.stringify(header.slice(0, 8))).toBe(200);
      expect(await response.json()).toMatchObject({ sub: 'spaced' });
    }
    for (const header of [`Bearer ${token} x`, `Bearer ${token},`, `Bearer\t${token} ${token}`]) {
      await expectError(await get('/mcp', header), 400, 'invalid_request');
    }
    // Another scheme ("Bearerx") is no bearer credential at all: 401 without an error code.
    const other = await get('/mcp', `Bearerx ${token}`);
    expect(other.status).toBe(401);
    expect(other.headers.get('www-authenticate')).toBe(CHALLENGE_401);
  });

  it('accepts an aud array containing this resource', async () => {
    const response = await get('/mcp', `Bearer ${await issuer.sign({ aud: ['https://x.example', AUDIENCE] })}`);
    expect(response.status).toBe(200);
  });

  for (const c of REJECTED_TOKENS) {
    it(`answers 401 invalid_token: ${c.name}`, async () => {
      const token = await c.make(issuer);
      const response = await get('/mcp', `Bearer ${token}`);
      const header = response.headers.get('www-authenticate') ?? '';
      expect(header).not.toContain(token.slice(0, 30));
      await expectError(response, 401, 'invalid_token', c.description);
    });
  }

  it('rejects an unknown kid, then accepts the rotated key once published', async () => {
    await issuer.rotate({ publish: false });
    await expectError(await get('/mcp', `Bearer ${await issuer.sign()}`), 401, 'invalid_token');
    issuer.publishAll();
    expect((await get('/mcp', `Bearer ${await issuer.sign()}`)).status).toBe(200);
  });

  it('refuses a token in the query string or a form body, even alongside a valid header', async () => {
    const token = await issuer.sign();
    await expectError(await get(`/mcp?access_token=${token}`), 400, 'invalid_request');
    await expectError(await get(`/mcp?x=1&access_token=${token}`, `Bearer ${token}`), 400, 'invalid_request');
    const form = await get('/mcp', undefined, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `access_token=${token}`,
    });
    await expectError(form, 400, 'invalid_request');
  });

  it('answers a crashing verifier with 401 invalid_token, logged without the token', async () => {
    warnings.length = 0;
    const response = await get('/crashing', 'Bearer secret-token-value');
    await expectError(response, 401, 'invalid_token', 'The access token could not be verified');
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings)).toContain('database on fire');
    expect(JSON.stringify(warnings)).not.toContain('secret-token-value');
  });

  it('escapes a hostile error description so no header can be injected', async () => {
    const response = await get('/hostile', 'Bearer x');
    expect(response.status).toBe(401);
    expect(response.headers.get('x-injected')).toBeNull();
    expect(response.headers.get('www-authenticate')).toBe(
      `Bearer error="invalid_token", error_description="bad \\"quote\\" \\\\ andX-Injected: yes", scope="create:todos read:todos", resource_metadata="${PRM}"`,
    );
  });
});
