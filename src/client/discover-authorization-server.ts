import type { ServerMetadata } from 'openid-client';
import { authorizationServerMetadataUrls } from '../auth/discover-authorization-server.js';
import { fetchJsonObject, formatAttempts, type FetchAttempt } from '../http/fetch-json-object.js';
import { ClientError } from './client-error.js';

export interface DiscoverAuthorizationServerOptions {
  /** fetch implementation. Default: the global `fetch`. */
  readonly fetch?: typeof fetch;
  /** Timeout per request in milliseconds. Default: 10000. */
  readonly timeoutMs?: number;
}

/**
 * The client's view of authorization server discovery: the same URL order as the resource server
 * (RFC 8414 path insertion, then OpenID Connect), but the checks a client needs — the `issuer` must
 * equal the identifier it was fetched for, the endpoints for the code flow must be there, and PKCE
 * with S256 must be offered (MCP 2025-11-25 tells clients to refuse otherwise).
 */
export async function discoverAuthorizationServerForClient(
  issuer: string,
  options: DiscoverAuthorizationServerOptions = {},
): Promise<{ metadata: ServerMetadata; url: string }> {
  const fetchImpl = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  let urls: string[];
  try {
    urls = authorizationServerMetadataUrls(issuer);
  } catch (error) {
    throw new ClientError('discovery_failed', `The authorization server ${JSON.stringify(issuer)} is not a usable issuer: ${(error as Error).message}`);
  }
  const attempts: FetchAttempt[] = [];
  let allNetwork = true;

  for (const url of urls) {
    const result = await fetchJsonObject(fetchImpl, url, timeoutMs);
    if (!result.ok) {
      attempts.push({ url, outcome: result.outcome });
      allNetwork &&= result.network;
      continue;
    }
    const metadata = result.body;
    if (metadata.issuer !== issuer) {
      throw new ClientError(
        'issuer_mismatch',
        `The authorization server metadata at ${url} names the issuer ${JSON.stringify(metadata.issuer)}, ` +
          `but the resource points to ${JSON.stringify(issuer)}; they must be identical, so the login was not started.`,
      );
    }
    for (const field of ['authorization_endpoint', 'token_endpoint'] as const) {
      const value = metadata[field];
      if (typeof value !== 'string' || !URL.canParse(value)) {
        throw new ClientError('unsupported_server', `The authorization server ${issuer} has no ${field} in its metadata (${url}).`);
      }
    }
    const methods = metadata.code_challenge_methods_supported;
    if (!Array.isArray(methods) || !methods.includes('S256')) {
      throw new ClientError(
        'unsupported_server',
        `The authorization server ${issuer} does not offer PKCE with S256 (code_challenge_methods_supported: ` +
          `${JSON.stringify(methods ?? null)}); MCP clients must refuse to log in without it.`,
      );
    }
    return { metadata: metadata as ServerMetadata, url };
  }
  const tried = formatAttempts(attempts);
  if (allNetwork) throw new ClientError('unreachable', `Cannot reach the authorization server ${issuer}.\nTried:\n${tried}`);
  throw new ClientError('discovery_failed', `No authorization server metadata found for ${issuer}.\nTried:\n${tried}`);
}
