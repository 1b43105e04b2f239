import { describe, expect, it } from 'vitest';
import { isTokenFile } from '../../src/client/token-file-shape.js';

const entry = {
  server: 'http://localhost:3001/mcp',
  resource: 'http://localhost:3001',
  issuer: 'http://localhost:3002/oidc',
  authorizationServer: { issuer: 'http://localhost:3002/oidc', token_endpoint: 'http://localhost:3002/oidc/token' },
  client: { clientId: 'todo-mcp-cli', authMethod: 'none', kind: 'pre-registered' },
  accessToken: 'eyJ.x.y',
  tokenType: 'Bearer',
  refreshToken: 'r',
  expiresAt: 1_800_000_000,
  scopesRequested: ['create:todos'],
  scopesGranted: ['create:todos'],
  subject: 'alice',
  updatedAt: 1_700_000_000,
};
const file = { version: 1, entries: [entry], clients: [{ ...entry.client, kind: 'dynamic', issuer: entry.issuer }] };

describe('isTokenFile', () => {
  it('accepts what the token store writes, with and without optional fields', () => {
    expect(isTokenFile(file)).toBe(true);
    const { refreshToken: _r, expiresAt: _e, subject: _s, ...minimal } = entry;
    expect(isTokenFile({ version: 1, entries: [minimal], clients: [] })).toBe(true);
  });

  it.each([
    ['another version', { ...file, version: 2 }],
    ['entries missing', { version: 1, clients: [] }],
    ['an empty access token', { ...file, entries: [{ ...entry, accessToken: '' }] }],
    ['expiresAt as a string', { ...file, entries: [{ ...entry, expiresAt: '1800000000' }] }],
    ['a scope that is not a string', { ...file, entries: [{ ...entry, scopesGranted: ['a', 1] }] }],
    ['an unknown client kind', { ...file, entries: [{ ...entry, client: { ...entry.client, kind: 'stolen' } }] }],
    ['metadata without an issuer', { ...file, entries: [{ ...entry, authorizationServer: {} }] }],
    ['a stored client without its issuer', { ...file, clients: [entry.client] }],
    ['an array', [file]],
    ['null', null],
  ])('refuses %s', (_name, value) => {
    expect(isTokenFile(value)).toBe(false);
  });
});
