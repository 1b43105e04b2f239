import { createRemoteJWKSet, customFetch, errors, type FetchImplementation, type JWTVerifyGetKey } from 'jose';
import { KeySetUnavailableError } from './jose-error-to-oauth.js';

export interface GuardedRemoteKeySetOptions {
  /** The issuer's JWKS URL. */
  readonly jwksUri: string;
  /** Timeout of one JWKS request in milliseconds. Default: 5000. */
  readonly fetchTimeoutMs?: number;
  /** Least time between two JWKS requests, successful or not, in milliseconds. Default: 30000. */
  readonly cooldownMs?: number;
  /** After this age (ms) a verification triggers a background refresh, so keys the issuer withdrew stop working. Default: 600000. */
  readonly refreshAfterMs?: number;
  /** Clock in epoch milliseconds. Default: `Date.now`. */
  readonly now?: () => number;
}

export interface GuardedRemoteKeySet {
  /** Key resolver for `jwtVerify`; every failure to obtain keys becomes a {@link KeySetUnavailableError}. */
  readonly getKey: JWTVerifyGetKey;
  /** JWKS requests actually sent. */
  readonly fetches: number;
}

/**
 * jose's remote JWKS, with two changes that matter when the issuer is down:
 * - keys never expire from the cache (`cacheMaxAge: Infinity`): known keys keep verifying while the
 *   JWKS endpoint is unreachable. A stale set is refreshed in the background instead, never blocking.
 * - jose only cools down after a *successful* fetch, so while the endpoint fails every unknown `kid`
 *   would send a request. Here any attempt starts the cool-down, and a request that may not go out fails
 *   at once. Before any key set was ever loaded the wait is capped at 1 s so a start-up blip heals fast.
 * Concurrent misses share jose's single in-flight request.
 */
export function createGuardedRemoteKeySet(options: GuardedRemoteKeySetOptions): GuardedRemoteKeySet {
  const now = options.now ?? Date.now;
  const cooldownMs = options.cooldownMs ?? 30_000;
  const refreshAfterMs = options.refreshAfterMs ?? 600_000;
  if (!(cooldownMs >= 0)) throw new TypeError('jwksCooldownMs must be a non-negative number');
  let lastAttemptAt: number | undefined;
  let lastSuccessAt: number | undefined;
  let fetches = 0;

  const guardedFetch: FetchImplementation = async (url, init) => {
    const at = now();
    const wait = lastSuccessAt === undefined ? Math.min(cooldownMs, 1000) : cooldownMs;
    if (lastAttemptAt !== undefined && at - lastAttemptAt < wait) {
      throw new KeySetUnavailableError('JWKS request suppressed: cooling down after a recent attempt');
    }
    lastAttemptAt = at;
    fetches += 1;
    const response = await fetch(url, init);
    if (response.status === 200) lastSuccessAt = at;
    return response;
  };

  const remote = createRemoteJWKSet(new URL(options.jwksUri), {
    timeoutDuration: options.fetchTimeoutMs ?? 5000,
    cooldownDuration: cooldownMs,
    cacheMaxAge: Infinity,
    [customFetch]: guardedFetch,
  });

  const getKey: JWTVerifyGetKey = async (header, token) => {
    if (lastSuccessAt !== undefined && now() - lastSuccessAt >= refreshAfterMs && !remote.reloading) {
      // Fire and forget: failures are bounded by the cool-down and must not fail this verification.
      remote.reload().catch(() => undefined);
    }
    try {
      return await remote(header, token);
    } catch (error) {
      // "No such key" and "unsupported alg" are verdicts on the token; anything else means no keys.
      if (
        error instanceof errors.JWKSNoMatchingKey ||
        error instanceof errors.JWKSMultipleMatchingKeys ||
        error instanceof errors.JOSENotSupported
      ) {
        throw error;
      }
      if (error instanceof KeySetUnavailableError) throw error;
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new KeySetUnavailableError(`JWKS unavailable (${reason})`, { cause: error });
    }
  };

  return {
    getKey,
    get fetches() {
      return fetches;
    },
  };
}
