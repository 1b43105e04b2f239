import { interruptible } from '../errors/interrupted.js';
import { ClientError } from './client-error.js';
import { findEntry, isExpired, putEntry, removeEntry, type TokenEntry, type TokenStore } from './token-store.js';

export interface FreshTokenOptions {
  readonly store: TokenStore;
  readonly entry: TokenEntry;
  /** An access token the server just refused (401): refresh even though it has not expired. */
  readonly rejectedToken?: string;
  /** Timeout of the refresh request, in seconds. Default: 15. */
  readonly timeoutSeconds?: number;
  /**
   * Aborting it cuts the refresh request short; the call then rejects with the signal's reason and the
   * file keeps what it had. (A server that rotated the refresh token before the cut cannot be helped: its
   * answer never arrives.) The wait for the lock stops with the store's own signal. Default: none.
   */
  readonly signal?: AbortSignal;
}

/** OAuth errors meaning the refresh token will never work again (RFC 6749 §5.2). */
const DEAD_GRANT = new Set(['invalid_grant', 'invalid_client', 'unauthorized_client']);

/**
 * The entry with a usable access token: as is when still valid, otherwise refreshed. The refresh runs
 * under the store's cross-process lock and re-reads the file first, so when two processes find the same
 * expired token only one uses the refresh token (which rotates) and the other picks up its result. A
 * refused refresh token (reused, revoked, expired) removes the entry and throws `session_expired`.
 */
export async function freshEntry(options: FreshTokenOptions): Promise<TokenEntry> {
  const { store, entry } = options;
  if (!options.rejectedToken && !isExpired(entry)) return entry;
  const stale = options.rejectedToken ?? entry.accessToken;
  // openid-client (and jose, for the new entry) load only when a refresh really happens: `call` and `token`
  // with a valid token, the common case, never pay for them.
  const [oidc, { openIdConfiguration }, { entryFromTokens }, { oauthErrorCode, oauthFailure }] = await Promise.all([
    import('openid-client'),
    import('./openid-configuration.js'),
    import('./token-entry.js'),
    import('./oauth-failure.js'),
  ]);

  const refresh = () => store.update(async (data): Promise<{ entry: TokenEntry } | { error: ClientError }> => {
    const current = findEntry(data, entry.resource, entry.issuer);
    if (!current) return { error: new ClientError('session_expired', `The session for ${entry.server} was removed (logged out in another terminal?).`) };
    if (current.accessToken !== stale && !isExpired(current)) return { entry: current };
    if (!current.refreshToken) {
      removeEntry(data, current.resource, current.issuer);
      return { error: new ClientError('session_expired', `The access token for ${current.server} has expired and there is no refresh token to renew it.`) };
    }
    let tokens;
    try {
      const config = openIdConfiguration({ metadata: current.authorizationServer, client: current.client, timeoutSeconds: options.timeoutSeconds, signal: options.signal });
      tokens = await oidc.refreshTokenGrant(config, current.refreshToken, current.audience ? { resource: current.resource, audience: current.audience } : { resource: current.resource });
    } catch (error) {
      const code = oauthErrorCode(error);
      if (code && DEAD_GRANT.has(code)) {
        removeEntry(data, current.resource, current.issuer);
        const description = (error as { error_description?: string }).error_description;
        return {
          error: new ClientError(
            'session_expired',
            `The authorization server ${current.issuer} refused to renew the session for ${current.server} ` +
              `(${code}${description ? `: ${description}` : ''}): the refresh token was already used, revoked or has expired.`,
            { cause: error },
          ),
        };
      }
      return { error: oauthFailure(error, 'Refreshing the access token', 'session_expired') };
    }
    const next = entryFromTokens({
      server: current.server,
      resource: current.resource,
      audience: current.audience,
      metadata: current.authorizationServer,
      client: current.client,
      tokens,
      scopesRequested: current.scopesRequested,
      previous: current,
    });
    putEntry(data, next);
    return { entry: next };
  });
  return interruptible(options.signal, `refreshing the access token for ${entry.server}`, async () => {
    const outcome = await refresh();
    if ('error' in outcome) throw outcome.error;
    return outcome.entry;
  });
}
