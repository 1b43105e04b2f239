import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBearerAuth } from '../../src/auth/bearer-middleware.js';
import { createToolScopeGuard, stepUpScopes } from '../../src/auth/scope-guard.js';
import { createTokenVerifier } from '../../src/auth/token-verifier.js';
import { startTestIssuer, type TestIssuer } from '../helpers/test-issuer.js';
import { AUDIENCE } from './token-cases.js';

const PRM = 'http://localhost:3001/.well-known/oauth-protected-resource';
let issuer: TestIssuer;
let server: Server;
let base: string;

beforeAll(async () => {
  issuer = await startTestIssuer();
  const verifier = createTokenVerifier({ issuer: issuer.issuer, audience: AUDIENCE, jwksUri: issuer.jwksUri });
  const auth = createBearerAuth({ verifier, resourceMetadataUrl: PRM, challengeScopes: ['create:todos'], log: { warn: () => undefined } });
  const app = express();
  app.use(express.json());
  app.post('/mcp', auth, createToolScopeGuard({ resourceMetadataUrl: PRM }), (_req, res) => {
    res.json({ reached: true });
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

async function call(path: string, scope: string, body: unknown): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await issuer.sign({ scope })}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}
const toolCall = (name: string, id = 1) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: {} } });

describe('createToolScopeGuard', () => {
  it('answers tools/call without the required scope with 403 insufficient_scope', async () => {
    const response = await call('/mcp', '', toolCall('create-todo'));
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer error="insufficient_scope", error_description="The create-todo tool needs the scope create:todos ' +
        `(granted to the role Admin or User)", scope="create:todos", resource_metadata="${PRM}"`,
    );
    expect(await response.json()).toEqual({
      error: 'insufficient_scope',
      error_description: 'The create-todo tool needs the scope create:todos (granted to the role Admin or User)',
    });
  });

  it('keeps the scopes the token already has in the step-up challenge', async () => {
    const response = await call('/mcp', 'read:todos delete:todos', toolCall('create-todo'));
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toContain('scope="create:todos read:todos delete:todos"');
  });

  it('lets through calls the token may make, other methods and unknown tools', async () => {
    for (const [scope, body] of [
      ['create:todos', toolCall('create-todo')],
      ['', toolCall('get-todos')],
      ['', toolCall('delete-todo')],
      ['', toolCall('no-such-tool')],
      ['', { jsonrpc: '2.0', id: 1, method: 'tools/list' }],
      ['', { jsonrpc: '2.0', method: 'notifications/initialized' }],
    ] as const) {
      const response = await call('/mcp', scope, body);
      expect(response.status, JSON.stringify(body)).toBe(200);
    }
  });

  it('checks every tools/call in a batch', async () => {
    const response = await call('/mcp', '', [toolCall('get-todos', 1), toolCall('create-todo', 2)]);
    expect(response.status).toBe(403);
  });
});

describe('stepUpScopes', () => {
  it('orders our scopes canonically, drops foreign granted ones and keeps foreign needed ones', () => {
    expect(stepUpScopes(['delete:todos', 'offline_access'], ['create:todos', 'x:y'])).toEqual(['create:todos', 'delete:todos', 'x:y']);
  });
});
