import { importJWK } from 'jose';
import { AuthorizationServerDiscoveryError, discoverAuthorizationServer } from '../auth/discover-authorization-server.js';
import { DEFAULT_ALGORITHMS } from '../auth/token-verifier.js';
import { error, ok } from './check.js';
/** Issuer discovery (which URL answered), PKCE S256, and a JWKS with usable asymmetric keys. */
export async function checkAuthorizationServer(issuer, timeoutMs) {
    const checks = [];
    let metadata;
    try {
        const found = await discoverAuthorizationServer(issuer, { timeoutMs });
        metadata = found.metadata;
        checks.push(ok('issuer', 'Authorization server discovery', `${issuer} described at ${found.url}.`));
    }
    catch (cause) {
        const detail = cause instanceof AuthorizationServerDiscoveryError ? cause.message : `Discovery failed: ${String(cause)}`;
        checks.push(error('issuer', 'Authorization server discovery', detail, 'Check that the issuer is up and that --issuer is its exact issuer identifier (Logto: https://<tenant>.logto.app/oidc).'));
        return { checks };
    }
    const methods = metadata.code_challenge_methods_supported ?? [];
    checks.push(methods.includes('S256')
        ? ok('pkce', 'PKCE S256 offered', `code_challenge_methods_supported: ${methods.join(', ')}.`)
        : error('pkce', 'PKCE S256 offered', `code_challenge_methods_supported is ${methods.length ? methods.join(', ') : 'missing'}; MCP clients must refuse such a server.`, 'Enable PKCE with S256 at the authorization server.'));
    let res;
    try {
        res = await fetch(metadata.jwks_uri, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
    }
    catch (cause) {
        checks.push(error('jwks', 'Signing keys (JWKS)', `${metadata.jwks_uri} did not answer (${String(cause.message)}).`, 'The resource server needs the JWKS to verify every token: make it reachable from here.'));
        return { checks, metadata };
    }
    if (!res.ok) {
        await res.body?.cancel();
        checks.push(error('jwks', 'Signing keys (JWKS)', `${metadata.jwks_uri} answered HTTP ${res.status}.`, 'Fix jwks_uri at the authorization server; without keys no token verifies.'));
        return { checks, metadata };
    }
    const body = (await res.json().catch(() => undefined));
    const keys = Array.isArray(body?.keys) ? body.keys : [];
    const usable = [];
    for (const key of keys) {
        const alg = key.alg;
        if (key.use === 'enc' || (alg && !DEFAULT_ALGORITHMS.includes(alg)))
            continue;
        try {
            await importJWK(key, alg ?? (key.kty === 'RSA' ? 'RS256' : key.crv === 'P-384' ? 'ES384' : key.crv === 'P-521' ? 'ES512' : key.kty === 'OKP' ? 'EdDSA' : 'ES256'));
            usable.push(`${key.kid ?? '(no kid)'} ${alg ?? key.kty}`);
        }
        catch {
            // not importable: not usable
        }
    }
    checks.push(usable.length > 0
        ? ok('jwks', 'Signing keys (JWKS)', `${usable.length} usable key(s): ${usable.join(', ')}.`)
        : error('jwks', 'Signing keys (JWKS)', `${metadata.jwks_uri} has no usable asymmetric signing key.`, 'Publish the signing keys (EC or RSA) in the JWKS.'));
    return { checks, metadata, keys };
}
//# sourceMappingURL=check-authorization-server.js.map