import { discoverAuthorizationServer } from './discover-authorization-server.js';
import { createTokenVerifier } from './token-verifier.js';
/**
 * Discover the issuer's metadata and build a verifier on its `jwks_uri`. Fails (with every URL tried)
 * when discovery fails, so a misconfigured issuer stops the server at start-up, not at the first request.
 */
export async function createAuthFromIssuer(options) {
    const { discoveryTimeoutMs, fetch: fetchImpl, ...verifierOptions } = options;
    const { metadata, url } = await discoverAuthorizationServer(options.issuer, {
        timeoutMs: discoveryTimeoutMs,
        fetch: fetchImpl,
    });
    const verifier = createTokenVerifier({ ...verifierOptions, jwksUri: metadata.jwks_uri });
    return { verifier, metadata, metadataUrl: url };
}
//# sourceMappingURL=create-auth-from-issuer.js.map