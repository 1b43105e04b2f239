import { TodoMcpError } from '../errors/todo-mcp-error.js';
import { formatAttempts, type FetchAttempt } from '../http/fetch-json-object.js';
import { discoverAuthorizationServer, type AuthorizationServerMetadata } from '../oauth/discover-authorization-server.js';
import { createTokenVerifier, type CachingTokenVerifier, type TokenVerifierOptions } from './token-verifier.js';

export interface AuthFromIssuerOptions extends Omit<TokenVerifierOptions, 'jwksUri'> {
  /** Timeout of each metadata request during discovery, in milliseconds. Default: 5000. */
  readonly discoveryTimeoutMs?: number;
  /** fetch used for discovery. Default: the global `fetch`. */
  readonly fetch?: typeof fetch;
}

/** The resource server cannot use the issuer; `attempts` lists every URL tried and its answer (also spelled out in `message`). */
export class AuthorizationServerDiscoveryError extends TodoMcpError<'authorization_server_discovery_failed'> {
  override readonly name = 'AuthorizationServerDiscoveryError';
  readonly attempts: readonly FetchAttempt[];

  constructor(message: string, attempts: readonly FetchAttempt[], options: { cause?: unknown } = {}) {
    super('authorization_server_discovery_failed', attempts.length > 0 ? `${message}\nTried:\n${formatAttempts(attempts)}` : message, options);
    this.attempts = attempts;
  }
}

/**
 * Discovers the issuer's metadata and builds the verifier on its `jwks_uri`: what the resource server
 * needs of the authorization server. Fails (with every URL tried) when there is no metadata, when it names
 * another issuer, or when it has no usable `jwks_uri`, so a misconfigured issuer stops the server at
 * start-up, not at the first request.
 */
export async function createAuthFromIssuer(
  options: AuthFromIssuerOptions,
): Promise<{ verifier: CachingTokenVerifier; metadata: AuthorizationServerMetadata; metadataUrl: string }> {
  const { discoveryTimeoutMs, fetch: fetchImpl, ...verifierOptions } = options;
  const { issuer } = options;
  const found = await discoverAuthorizationServer(issuer, { timeoutMs: discoveryTimeoutMs, fetch: fetchImpl });
  if (found.outcome === 'invalid_issuer') throw new AuthorizationServerDiscoveryError(`The issuer ${JSON.stringify(issuer)} is not usable: ${found.problem}`, []);
  if (found.outcome === 'not_found') throw new AuthorizationServerDiscoveryError(`No authorization server metadata found for issuer ${issuer}`, found.attempts);
  if (found.outcome === 'issuer_mismatch') {
    throw new AuthorizationServerDiscoveryError(
      `Authorization server metadata at ${found.url} names issuer ${JSON.stringify(found.named)}, ` +
        `not the configured ${JSON.stringify(issuer)}; they must match exactly (check scheme, host, port, path and trailing slash)`,
      found.attempts,
    );
  }
  const { metadata, url } = found;
  if (typeof metadata.jwks_uri !== 'string' || !URL.canParse(metadata.jwks_uri)) {
    throw new AuthorizationServerDiscoveryError(`Authorization server metadata at ${url} has no usable jwks_uri, so access tokens cannot be verified`, found.attempts);
  }
  const verifier = createTokenVerifier({ ...verifierOptions, jwksUri: metadata.jwks_uri });
  return { verifier, metadata, metadataUrl: url };
}
