/**
 * Authorization server metadata discovery (RFC 8414 / OpenID Connect Discovery) in the order the MCP
 * authorization spec (2025-11-25) prescribes, so the resource server and the CLI find the same document.
 */

import { TodoMcpError } from '../errors/todo-mcp-error.js';
import { fetchJsonObject, formatAttempts, type FetchAttempt } from '../http/fetch-json-object.js';

/** The fields of AS metadata this project relies on; everything else is kept as-is. */
export interface AuthorizationServerMetadata {
  readonly issuer: string;
  readonly jwks_uri: string;
  readonly authorization_endpoint?: string;
  readonly token_endpoint?: string;
  readonly registration_endpoint?: string;
  readonly scopes_supported?: readonly string[];
  readonly code_challenge_methods_supported?: readonly string[];
  readonly [key: string]: unknown;
}

export interface DiscoverAuthorizationServerOptions {
  /** fetch implementation. Default: the global `fetch`. */
  readonly fetch?: typeof fetch;
  /** Timeout per metadata request in milliseconds. Default: 5000. */
  readonly timeoutMs?: number;
}

/** Discovery failed; `attempts` lists every URL tried and its answer (also spelled out in `message`). */
export class AuthorizationServerDiscoveryError extends TodoMcpError<'authorization_server_discovery_failed'> {
  override readonly name = 'AuthorizationServerDiscoveryError';
  readonly attempts: readonly FetchAttempt[];

  constructor(message: string, attempts: readonly FetchAttempt[], options: { cause?: unknown } = {}) {
    super('authorization_server_discovery_failed', attempts.length > 0 ? `${message}\nTried:\n${formatAttempts(attempts)}` : message, options);
    this.attempts = attempts;
  }
}

/**
 * The metadata URLs for an issuer, in the order to try them. For `https://x/tenant`:
 * `/.well-known/oauth-authorization-server/tenant`, `/.well-known/openid-configuration/tenant`,
 * `/tenant/.well-known/openid-configuration`; for an issuer without a path, the two root documents.
 */
export function authorizationServerMetadataUrls(issuer: string): string[] {
  const url = new URL(issuer);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`issuer must be an http(s) URL, got ${url.protocol}`);
  }
  // RFC 8414 §2: an issuer identifier has no query or fragment component.
  if (url.search || url.hash) throw new TypeError('issuer must not contain a query or fragment');
  const path = url.pathname.replace(/\/+$/, '');
  const origin = url.origin;
  if (path === '') {
    return [`${origin}/.well-known/oauth-authorization-server`, `${origin}/.well-known/openid-configuration`];
  }
  return [
    `${origin}/.well-known/oauth-authorization-server${path}`,
    `${origin}/.well-known/openid-configuration${path}`,
    `${origin}${path}/.well-known/openid-configuration`,
  ];
}

/**
 * Fetch the authorization server's metadata. The first document found wins; its `issuer` must equal
 * `issuer` exactly (a mismatch is refused, not skipped: it means the configured issuer is wrong, or
 * someone else's metadata is being served) and it must name a `jwks_uri`.
 */
export async function discoverAuthorizationServer(
  issuer: string,
  options: DiscoverAuthorizationServerOptions = {},
): Promise<{ metadata: AuthorizationServerMetadata; url: string }> {
  const fetchImpl = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 5000;
  const attempts: FetchAttempt[] = [];

  for (const url of authorizationServerMetadataUrls(issuer)) {
    const result = await fetchJsonObject(fetchImpl, url, timeoutMs);
    if (!result.ok) {
      attempts.push({ url, outcome: result.outcome });
      continue;
    }
    attempts.push({ url, outcome: 'HTTP 200' });
    const metadata = result.body;
    if (metadata.issuer !== issuer) {
      throw new AuthorizationServerDiscoveryError(
        `Authorization server metadata at ${url} names issuer ${JSON.stringify(metadata.issuer)}, ` +
          `not the configured ${JSON.stringify(issuer)}; they must match exactly (check scheme, host, port, path and trailing slash)`,
        attempts,
      );
    }
    if (typeof metadata.jwks_uri !== 'string' || !URL.canParse(metadata.jwks_uri)) {
      throw new AuthorizationServerDiscoveryError(
        `Authorization server metadata at ${url} has no usable jwks_uri, so access tokens cannot be verified`,
        attempts,
      );
    }
    return { metadata: metadata as AuthorizationServerMetadata, url };
  }
  throw new AuthorizationServerDiscoveryError(`No authorization server metadata found for issuer ${issuer}`, attempts);
}
