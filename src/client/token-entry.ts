import { decodeJwt } from 'jose';
import type { ServerMetadata } from 'openid-client';
import type { TokenResponse } from './authorize.js';
import type { ClientRegistration } from './register-client.js';
import { OFFLINE_ACCESS } from './select-scopes.js';
import type { TokenEntry } from './token-store.js';

/**
 * The claims of a JWT access token, read WITHOUT verifying it: only for showing the user who they are
 * and what they got. The resource server is the one that verifies; a client must not trust these.
 */
export function peekAccessTokenClaims(token: string): { sub?: string; scope?: string[]; exp?: number } {
  try {
    const claims = decodeJwt(token);
    const scope = typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : Array.isArray(claims.scp) ? claims.scp.map(String) : undefined;
    return {
      ...(typeof claims.sub === 'string' ? { sub: claims.sub } : {}),
      ...(scope ? { scope } : {}),
      ...(typeof claims.exp === 'number' ? { exp: claims.exp } : {}),
    };
  } catch {
    return {};
  }
}

export interface EntryFromTokensOptions {
  readonly server: string;
  readonly resource: string;
  /** The `audience` parameter the tokens were requested with, if any (sent again on refresh). */
  readonly audience?: string;
  readonly metadata: ServerMetadata;
  readonly client: ClientRegistration;
  readonly tokens: TokenResponse;
  readonly scopesRequested: readonly string[];
  /** The entry being refreshed: its refresh token is kept when the server does not rotate it. */
  readonly previous?: TokenEntry;
  /** Seconds since the epoch. Default: now. */
  readonly now?: number;
}

/**
 * A store entry from a token response. Granted scopes: the response's `scope`, else the token's own
 * `scope` claim, else what was requested (RFC 6749 §5.1: an omitted scope means "as requested").
 */
export function entryFromTokens(options: EntryFromTokensOptions): TokenEntry {
  const { tokens } = options;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const claims = peekAccessTokenClaims(tokens.access_token);
  const fromResponse = typeof tokens.scope === 'string' ? tokens.scope.split(' ').filter(Boolean) : undefined;
  const expiresAt = typeof tokens.expires_in === 'number' ? now + tokens.expires_in : claims.exp;
  const refreshToken = tokens.refresh_token ?? options.previous?.refreshToken;
  let granted = fromResponse ?? claims.scope ?? [...options.scopesRequested];
  // Servers list the access token's scopes; a refresh token is itself the proof offline_access was granted.
  if (tokens.refresh_token && options.scopesRequested.includes(OFFLINE_ACCESS) && !granted.includes(OFFLINE_ACCESS)) granted = [...granted, OFFLINE_ACCESS];
  return {
    server: options.server,
    resource: options.resource,
    ...(options.audience ? { audience: options.audience } : {}),
    issuer: options.metadata.issuer,
    authorizationServer: options.metadata,
    client: options.client,
    accessToken: tokens.access_token,
    tokenType: tokens.token_type ?? 'bearer',
    ...(refreshToken ? { refreshToken } : {}),
    ...(expiresAt !== undefined ? { expiresAt } : {}),
    scopesRequested: [...options.scopesRequested],
    scopesGranted: granted,
    ...(claims.sub ? { subject: claims.sub } : {}),
    updatedAt: now,
  };
}
