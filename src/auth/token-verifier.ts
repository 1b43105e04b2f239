import { jwtVerify, type JWTPayload } from 'jose';
import { parseScopeString } from '../oauth/scope-string.js';
import type { Identity, TokenVerifier } from './identity.js';
import { OAuthError } from './oauth-error.js';
import { toInvalidTokenError } from './jose-error-to-oauth.js';
import { createGuardedRemoteKeySet } from './guarded-remote-key-set.js';
import { createVerifiedTokenCache } from './verified-token-cache.js';

/** Asymmetric JWS algorithms: the only kind a resource server can verify with a public JWKS. */
export const DEFAULT_ALGORITHMS: readonly string[] = [
  'ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'EdDSA',
];

export interface TokenVerifierOptions {
  /** The trusted issuer; the token's `iss` must equal it exactly. */
  readonly issuer: string;
  /** This resource's identifier; the token's `aud` must be it or contain it. */
  readonly audience: string;
  /** Where the issuer publishes its signing keys. */
  readonly jwksUri: string;
  /** Accepted `alg` values. Default: {@link DEFAULT_ALGORITHMS}; `none` and HS* are refused. */
  readonly algorithms?: readonly string[];
  /** Leeway for `exp`/`nbf` in seconds. Default: 5. */
  readonly clockToleranceSec?: number;
  /** Most verified tokens remembered. Default: 10000; 0 disables the cache. */
  readonly cacheMax?: number;
  /** Timeout of one JWKS request in milliseconds. Default: 5000. */
  readonly fetchTimeoutMs?: number;
  /** Least time between two JWKS requests in milliseconds. Default: 30000. */
  readonly jwksCooldownMs?: number;
  /** Clock in epoch milliseconds for exp/nbf, the cache and the JWKS cool-down (tests). Default: `Date.now`. */
  readonly now?: () => number;
}

/** Counters, for tests and metrics. */
export interface TokenVerifierStats {
  /** Tokens that went through full (signature) verification. */
  readonly signatureChecks: number;
  /** Tokens answered from the verified-token cache. */
  readonly cacheHits: number;
  /** JWKS requests sent. */
  readonly jwksFetches: number;
}

export interface CachingTokenVerifier extends TokenVerifier {
  readonly stats: TokenVerifierStats;
}

/**
 * A JWT access-token verifier for one issuer and one audience (RFC 9068 style tokens as Logto and
 * oidc-provider issue them). Every failure is an {@link OAuthError} `invalid_token` with a fixed public
 * description; nothing escapes as a bare error, including JWKS outages and timeouts.
 */
export function createTokenVerifier(options: TokenVerifierOptions): CachingTokenVerifier {
  const { issuer, audience } = options;
  if (!issuer) throw new TypeError('issuer is required');
  if (!audience) throw new TypeError('audience is required');
  if (!URL.canParse(options.jwksUri)) throw new TypeError(`jwksUri is not a URL: ${options.jwksUri}`);
  const algorithms = [...(options.algorithms ?? DEFAULT_ALGORITHMS)];
  if (algorithms.length === 0) throw new TypeError('algorithms must not be empty');
  // A symmetric algorithm would let anyone holding the public key (as an HMAC secret) mint tokens.
  const unsafe = algorithms.filter((alg) => alg.toLowerCase() === 'none' || /^HS/i.test(alg));
  if (unsafe.length > 0) throw new TypeError(`algorithms must be asymmetric; refusing ${unsafe.join(', ')}`);
  const tolerance = options.clockToleranceSec ?? 5;
  if (!(tolerance >= 0)) throw new TypeError('clockToleranceSec must be a non-negative number');
  const now = options.now ?? Date.now;

  const keys = createGuardedRemoteKeySet({
    jwksUri: options.jwksUri,
    fetchTimeoutMs: options.fetchTimeoutMs,
    cooldownMs: options.jwksCooldownMs,
    now,
  });
  const cache = createVerifiedTokenCache({ max: options.cacheMax });
  let signatureChecks = 0;
  let cacheHits = 0;

  async function verifyUncached(token: string): Promise<Identity> {
    signatureChecks += 1;
    const { payload } = await jwtVerify(token, keys.getKey, {
      issuer,
      audience,
      algorithms,
      clockTolerance: tolerance,
      requiredClaims: ['exp', 'sub'],
      currentDate: new Date(now()),
    });
    return toIdentity(payload);
  }

  return {
    async verify(token) {
      if (typeof token !== 'string' || token.length === 0) {
        throw new OAuthError('invalid_token', 'The access token is malformed', { detail: 'empty token' });
      }
      const key = cache.keyOf(token);
      const cached = cache.get(key);
      const nowSec = Math.floor(now() / 1000);
      if (cached !== undefined) {
        // Same rule as jose's `exp` check, so a cached token expires exactly when a fresh check would fail.
        if (cached.expiresAt <= nowSec - tolerance) {
          cache.delete(key);
          throw new OAuthError('invalid_token', 'The access token expired', { detail: 'ERR_JWT_EXPIRED: cached token past exp' });
        }
        cacheHits += 1;
        return cached;
      }
      let identity: Identity;
      try {
        identity = await verifyUncached(token);
      } catch (error) {
        throw toInvalidTokenError(error);
      }
      cache.set(key, identity);
      return identity;
    },
    stats: {
      get signatureChecks() {
        return signatureChecks;
      },
      get cacheHits() {
        return cacheHits;
      },
      get jwksFetches() {
        return keys.fetches;
      },
    },
  };
}

function toIdentity(payload: JWTPayload): Identity {
  const { sub, scope, client_id: clientId, exp } = payload;
  if (typeof sub !== 'string' || sub.length === 0) {
    throw new OAuthError('invalid_token', 'The access token has no subject', { detail: 'sub missing, empty or not a string' });
  }
  if (scope !== undefined && typeof scope !== 'string') {
    throw new OAuthError('invalid_token', 'The access token has an invalid claim', { detail: 'scope is not a string' });
  }
  // `exp` was validated as a number by jose (it is a required claim).
  const identity: Identity = {
    sub,
    scopes: Object.freeze(parseScopeString(scope) ?? []),
    expiresAt: exp as number,
    ...(typeof clientId === 'string' ? { clientId } : {}),
  };
  // Frozen because the same object is handed out again from the cache.
  return Object.freeze(identity);
}
