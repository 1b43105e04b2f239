import { discoverAuthorizationServer, type AuthorizationServerMetadata } from './discover-authorization-server.js';
import { createTokenVerifier, type CachingTokenVerifier, type TokenVerifierOptions } from './token-verifier.js';

export interface AuthFromIssuerOptions extends Omit<TokenVerifierOptions, 'jwksUri'> {
  /** Timeout of each metadata request during discovery, in milliseconds. Default: 5000. */
  readonly discoveryTimeoutMs?: number;
  /** fetch used for discovery. Default: the global `fetch`. */
  readonly fetch?: typeof fetch;
}

/**
 * Discover the issuer's metadata and build a verifier on its `jwks_uri`. Fails (with every URL tried)
 * when discovery fails, so a misconfigured issuer stops the server at start-up, not at the first request.
 */
export async function createAuthFromIssuer(
  options: AuthFromIssuerOptions,
): Promise<{ verifier: CachingTokenVerifier; metadata: AuthorizationServerMetadata; metadataUrl: string }> {
  const { discoveryTimeoutMs, fetch: fetchImpl, ...verifierOptions } = options;
  const { metadata, url } = await discoverAuthorizationServer(options.issuer, {
    timeoutMs: discoveryTimeoutMs,
    fetch: fetchImpl,
  });
  const verifier = createTokenVerifier({ ...verifierOptions, jwksUri: metadata.jwks_uri });
  return { verifier, metadata, metadataUrl: url };
}
