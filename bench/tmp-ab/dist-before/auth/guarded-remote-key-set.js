import { createRemoteJWKSet, customFetch, errors } from 'jose';
import { KeySetUnavailableError } from './jose-error-to-oauth.js';
/**
 * jose's remote JWKS, with two changes that matter when the issuer is down:
 * - keys never expire from the cache (`cacheMaxAge: Infinity`): known keys keep verifying while the
 *   JWKS endpoint is unreachable. A stale set is refreshed in the background instead, never blocking.
 * - jose only cools down after a *successful* fetch, so while the endpoint fails every unknown `kid`
 *   would send a request. Here any attempt starts the cool-down, and a request that may not go out fails
 *   at once. Before any key set was ever loaded the wait is capped at 1 s so a start-up blip heals fast.
 * Concurrent misses share jose's single in-flight request.
 */
export function createGuardedRemoteKeySet(options) {
    const now = options.now ?? Date.now;
    const cooldownMs = options.cooldownMs ?? 30_000;
    const refreshAfterMs = options.refreshAfterMs ?? 600_000;
    if (!(cooldownMs >= 0))
        throw new TypeError('jwksCooldownMs must be a non-negative number');
    let lastAttemptAt;
    let lastSuccessAt;
    let fetches = 0;
    const guardedFetch = async (url, init) => {
        const at = now();
        const wait = lastSuccessAt === undefined ? Math.min(cooldownMs, 1000) : cooldownMs;
        if (lastAttemptAt !== undefined && at - lastAttemptAt < wait) {
            throw new KeySetUnavailableError('JWKS request suppressed: cooling down after a recent attempt');
        }
        lastAttemptAt = at;
        fetches += 1;
        const response = await fetch(url, init);
        if (response.status === 200)
            lastSuccessAt = at;
        return response;
    };
    const remote = createRemoteJWKSet(new URL(options.jwksUri), {
        timeoutDuration: options.fetchTimeoutMs ?? 5000,
        cooldownDuration: cooldownMs,
        cacheMaxAge: Infinity,
        [customFetch]: guardedFetch,
    });
    const getKey = async (header, token) => {
        if (lastSuccessAt !== undefined && now() - lastSuccessAt >= refreshAfterMs && !remote.reloading) {
            // Fire and forget: failures are bounded by the cool-down and must not fail this verification.
            remote.reload().catch(() => undefined);
        }
        try {
            return await remote(header, token);
        }
        catch (error) {
            // "No such key" and "unsupported alg" are verdicts on the token; anything else means no keys.
            if (error instanceof errors.JWKSNoMatchingKey ||
                error instanceof errors.JWKSMultipleMatchingKeys ||
                error instanceof errors.JOSENotSupported) {
                throw error;
            }
            if (error instanceof KeySetUnavailableError)
                throw error;
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
//# sourceMappingURL=guarded-remote-key-set.js.map