import { decodeJwt } from 'jose';
import { parseScopeString } from '../oauth/scope-string.js';
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
    const scope = parseScopeString(claims.scope) ?? (Array.isArray(claims.scp) ? claims.scp.map(String) : undefined);
    return {
      ...(typeof claims.sub === 'string' ? { sub: claims.sub } : {}),
      ...(scope ? { scope } : {}),
      ...(typeof claims.exp === 'number' ? { exp: claims.exp } : {}),
    };
  } catch {
    return {};
  }
}

/** Claims that name a person, in order of preference: Logto's `username`, then OpenID Connect's. */
const NAME_CLAIMS = ['username', 'preferred_username', 'name', 'email'] as const;
/** Longest name kept; a name is for recognising someone in a terminal line, not a document. */
const MAX_NAME_LENGTH = 100;
// C0/C1 controls, DEL, and bidirectional overrides: printed in a terminal they could forge or hide text.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** The first name-like claim of validated ID token claims, made safe to print; undefined when there is none. */
export function displayNameFrom(claims: Readonly<Record<string, unknown>> | undefined): string | undefined {
  for (const claim of NAME_CLAIMS) {
    const value = claims?.[claim];
    if (typeof value !== 'string') continue;
    const printable = value.replace(UNPRINTABLE, '').trim();
    if (printable) return printable.length > MAX_NAME_LENGTH ? `${printable.slice(0, MAX_NAME_LENGTH - 1)}…` : printable;
  }
  return undefined;
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
  // The ID token's claims, as openid-client validated them (undefined when the response had no ID token).
  const idClaims = tokens.claims?.();
  const subject = claims.sub ?? idClaims?.sub;
  const name = nameFor(subject, idClaims, options.previous);
  const fromResponse = parseScopeString(tokens.scope);
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
    ...(subject ? { subject } : {}),
    ...(name ? { name } : {}),
    updatedAt: now,
  };
}

/**
 * The name to show beside `subject`: from this response's ID token when it is about the same subject,
 * else the one kept from before for that subject (a refresh may return an ID token without profile
 * claims, or none at all). Never sent anywhere: the MCP server only ever sees `sub`.
 */
function nameFor(subject: string | undefined, idClaims: Readonly<Record<string, unknown>> | undefined, previous: TokenEntry | undefined): string | undefined {
  if (!subject) return undefined;
  const fresh = idClaims?.sub === subject ? displayNameFrom(idClaims) : undefined;
  return fresh ?? (previous?.subject === subject ? previous.name : undefined);
}
