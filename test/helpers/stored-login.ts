import { createTokenStore, putEntry, type TokenEntry } from '../../src/client/token-store.js';
import type { TestServer } from './test-server.js';

/**
 * Puts a login for `server` into the token store under `home` (the CLI's TODO_MCP_HOME), as `todo-mcp
 * login` leaves one: an access token valid for an hour, for a pre-registered client at an issuer that is
 * never contacted, unless `overrides` say otherwise. Returns the entry.
 */
export async function storeEntry(home: string, server: string, overrides: Partial<TokenEntry> = {}): Promise<TokenEntry> {
  const now = Math.floor(Date.now() / 1000);
  const issuer = 'http://127.0.0.1:9/oidc';
  const entry: TokenEntry = {
    server,
    resource: new URL(server).origin,
    issuer,
    authorizationServer: { issuer, token_endpoint: `${issuer}/token` },
    client: { clientId: 'stored-login-test', authMethod: 'none', kind: 'pre-registered' },
    accessToken: 'stored-access-token',
    tokenType: 'Bearer',
    expiresAt: now + 3600,
    scopesRequested: [],
    scopesGranted: [],
    updatedAt: now,
    ...overrides,
  };
  await createTokenStore({ dir: home }).update((data) => putEntry(data, entry));
  return entry;
}

/**
 * A valid stored login for `sub` with `scopes` in the token store under `home`, so that the real CLI calls
 * `fx` without logging in. Returns the token.
 */
export async function storeLogin(fx: TestServer, home: string, sub: string, scopes: readonly string[]): Promise<string> {
  const token = await fx.token(sub, scopes.join(' '));
  await storeEntry(home, fx.server.mcpUrl, {
    resource: fx.server.resource,
    issuer: fx.issuer.issuer,
    authorizationServer: { issuer: fx.issuer.issuer, token_endpoint: `${fx.issuer.issuer}/token` },
    accessToken: token,
    scopesRequested: [...scopes],
    scopesGranted: [...scopes],
  });
  return token;
}
