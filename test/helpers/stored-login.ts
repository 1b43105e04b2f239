import { createTokenStore, putEntry } from '../../src/client/token-store.js';
import type { TestServer } from './test-server.js';

/**
 * A valid stored login for `sub` with `scopes` in the token store under `home` (the CLI's TODO_MCP_HOME),
 * as `todo-mcp login` leaves it, so that the real CLI calls `fx` without logging in. Returns the token.
 */
export async function storeLogin(fx: TestServer, home: string, sub: string, scopes: readonly string[]): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const token = await fx.token(sub, scopes.join(' '));
  await createTokenStore({ dir: home }).update((data) =>
    putEntry(data, {
      server: fx.server.mcpUrl,
      resource: fx.server.resource,
      issuer: fx.issuer.issuer,
      authorizationServer: { issuer: fx.issuer.issuer, token_endpoint: `${fx.issuer.issuer}/token` },
      client: { clientId: 'stored-login-test', authMethod: 'none', kind: 'pre-registered' },
      accessToken: token,
      tokenType: 'Bearer',
      expiresAt: now + 3600,
      scopesRequested: [...scopes],
      scopesGranted: [...scopes],
      updatedAt: now,
    }),
  );
  return token;
}
