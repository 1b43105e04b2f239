import * as oidc from 'openid-client';
import { decodeJwt } from 'jose';
import { interruption } from '../errors/interrupted.js';
import { oauthFailure } from './oauth-failure.js';
import { openIdConfiguration } from './openid-configuration.js';
import { findEntryForServer, forgetRegistration, removeEntry, type TokenEntry, type TokenStore } from './token-store.js';

/** What revoking one token at the authorization server came to. */
export type Revocation = 'revoked' | 'unsupported' | 'failed';

export interface LogoutResult {
  /** The login that was removed; undefined when there was none for this server. */
  readonly entry?: TokenEntry;
  /** The refresh token: revoked, 'absent' (none was kept), 'unsupported' (no revocation endpoint) or 'failed' (see `error`). */
  readonly refreshToken?: Revocation | 'absent';
  /**
   * The access token: 'offline' when it is a JWT — the resource server verifies it by itself and never
   * asks the authorization server, so revoking it there would change nothing and it is not sent — else
   * what revoking it came to.
   */
  readonly accessToken?: Revocation | 'offline';
  /** Until when a copy of the access token stays usable at the resource server (its `exp`), seconds since the epoch; undefined when unknown. */
  readonly accessTokenValidUntil?: number;
  /** Why a revocation failed, per token. */
  readonly errors?: { readonly refreshToken?: string; readonly accessToken?: string };
}

/** The access token's `exp` when it is a JWT; undefined for an opaque token. */
function jwtExpiry(token: string): { jwt: boolean; exp?: number } {
  try {
    const { exp } = decodeJwt(token);
    return { jwt: true, ...(typeof exp === 'number' ? { exp } : {}) };
  } catch {
    return { jwt: false };
  }
}

/**
 * Revokes what can be revoked (RFC 7009) and deletes the entry: the refresh token first (on most servers
 * that ends the whole grant), and the access token only when it is opaque. The entry is deleted even when
 * revocation fails, so a logout always leaves no usable token on this machine; the result says exactly
 * what stays valid elsewhere and until when.
 */
export async function logout(options: { store: TokenStore; serverUrl: string; signal?: AbortSignal }): Promise<LogoutResult> {
  const { store, serverUrl, signal } = options;
  const entry = findEntryForServer(await store.read(), serverUrl);
  if (!entry) return {};
  const access = jwtExpiry(entry.accessToken);
  const endpoint = typeof entry.authorizationServer.revocation_endpoint === 'string';
  const config = endpoint ? openIdConfiguration({ metadata: entry.authorizationServer, client: entry.client, signal }) : undefined;
  const errors: { refreshToken?: string; accessToken?: string } = {};
  const revoke = async (token: string, hint: 'refreshToken' | 'accessToken'): Promise<Revocation> => {
    if (!config) return 'unsupported';
    try {
      await oidc.tokenRevocation(config, token, { token_type_hint: hint === 'refreshToken' ? 'refresh_token' : 'access_token' });
      return 'revoked';
    } catch (failure) {
      // Stopped half-way: the entry stays, so running logout again finishes the job.
      if (signal?.aborted) throw interruption(signal, `revoking the tokens at ${entry.issuer}`);
      errors[hint] = oauthFailure(failure, `Revoking it at ${entry.issuer}`, 'login_failed').message;
      return 'failed';
    }
  };
  const refreshToken = entry.refreshToken ? await revoke(entry.refreshToken, 'refreshToken') : 'absent';
  const accessToken = access.jwt ? 'offline' : await revoke(entry.accessToken, 'accessToken');

  await store.update((data) => {
    removeEntry(data, entry.resource, entry.issuer);
    // Nothing about this server is kept: a later login registers afresh if it needs to.
    if (!data.entries.some((e) => e.issuer === entry.issuer)) forgetRegistration(data, entry.issuer);
  });
  const validUntil = access.exp ?? entry.expiresAt;
  return { entry, refreshToken, accessToken, ...(validUntil !== undefined ? { accessTokenValidUntil: validUntil } : {}), ...(Object.keys(errors).length ? { errors } : {}) };
}
