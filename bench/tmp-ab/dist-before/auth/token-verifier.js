import { jwtVerify } from 'jose';
import { OAuthError } from './oauth-error.js';
import { toInvalidTokenError } from './jose-error-to-oauth.js';
import { createGuardedRemoteKeySet } from './guarded-remote-key-set.js';
import { createVerifiedTokenCache } from './verified-token-cache.js';
/** Asymmetric JWS algorithms: the only kind a resource server can verify with a public JWKS. */
export const DEFAULT_ALGORITHMS = [
    'ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'EdDSA',
];
/**
 * A JWT access-token verifier for one issuer and one audience (RFC 9068 style tokens as Logto and
 * oidc-provider issue them). Every failure is an {@link OAuthError} `invalid_token` with a fixed public
 * description; nothing escapes as a bare error, including JWKS outages and timeouts.
 */
export function createTokenVerifier(options) {
    const { issuer, audience } = options;
    if (!issuer)
        throw new TypeError('issuer is required');
    if (!audience)
        throw new TypeError('audience is required');
    if (!URL.canParse(options.jwksUri))
        throw new TypeError(`jwksUri is not a URL: ${options.jwksUri}`);
    const algorithms = [...(options.algorithms ?? DEFAULT_ALGORITHMS)];
    if (algorithms.length === 0)
        throw new TypeError('algorithms must not be empty');
    // A symmetric algorithm would let anyone holding the public key (as an HMAC secret) mint tokens.
    const unsafe = algorithms.filter((alg) => alg.toLowerCase() === 'none' || /^HS/i.test(alg));
    if (unsafe.length > 0)
        throw new TypeError(`algorithms must be asymmetric; refusing ${unsafe.join(', ')}`);
    const tolerance = options.clockToleranceSec ?? 5;
    if (!(tolerance >= 0))
        throw new TypeError('clockToleranceSec must be a non-negative number');
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
    async function verifyUncached(token) {
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
            let identity;
            try {
                identity = await verifyUncached(token);
            }
            catch (error) {
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
function toIdentity(payload) {
    const { sub, scope, client_id: clientId, exp } = payload;
    if (typeof sub !== 'string' || sub.length === 0) {
        throw new OAuthError('invalid_token', 'The access token has no subject', { detail: 'sub missing, empty or not a string' });
    }
    if (scope !== undefined && typeof scope !== 'string') {
        throw new OAuthError('invalid_token', 'The access token has an invalid claim', { detail: 'scope is not a string' });
    }
    // `exp` was validated as a number by jose (it is a required claim).
    const identity = {
        sub,
        scopes: Object.freeze(scope === undefined ? [] : scope.split(' ').filter((s) => s.length > 0)),
        expiresAt: exp,
        ...(typeof clientId === 'string' ? { clientId } : {}),
    };
    // Frozen because the same object is handed out again from the cache.
    return Object.freeze(identity);
}
//# sourceMappingURL=token-verifier.js.map