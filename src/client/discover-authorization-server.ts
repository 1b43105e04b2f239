import type { ServerMetadata } from 'openid-client';
import { formatAttempts } from '../http/fetch-json-object.js';
import { discoverAuthorizationServer } from '../oauth/discover-authorization-server.js';
import { ClientError } from './client-error.js';

export interface DiscoverAuthorizationServerOptions {
  /** fetch implementation. Default: the global `fetch`. */
  readonly fetch?: typeof fetch;
  /** Timeout per request in milliseconds. Default: 10000. */
  readonly timeoutMs?: number;
}

/**
 * The shared discovery (src/oauth) with what a client requires of the server: the `issuer` must equal
 * the identifier it was fetched for, the endpoints for the code flow must be there, and PKCE with S256
 * must be offered (MCP 2025-11-25 tells clients to refuse otherwise).
 */
export async function discoverAuthorizationServerForClient(
  issuer: string,
  options: DiscoverAuthorizationServerOptions = {},
): Promise<{ metadata: ServerMetadata; url: string }> {
  const found = await discoverAuthorizationServer(issuer, { fetch: options.fetch, timeoutMs: options.timeoutMs ?? 10_000 });
  switch (found.outcome) {
    case 'invalid_issuer':
      throw new ClientError('discovery_failed', `The authorization server ${JSON.stringify(issuer)} is not a usable issuer: ${found.problem}`);
    case 'not_found': {
      const tried = formatAttempts(found.attempts);
      if (found.unreachable) throw new ClientError('unreachable', `Cannot reach the authorization server ${issuer}.\nTried:\n${tried}`);
      throw new ClientError('discovery_failed', `No authorization server metadata found for ${issuer}.\nTried:\n${tried}`);
    }
    case 'issuer_mismatch':
      throw new ClientError(
        'issuer_mismatch',
        `The authorization server metadata at ${found.url} names the issuer ${JSON.stringify(found.named)}, ` +
          `but the resource points to ${JSON.stringify(issuer)}; they must be identical, so the login was not started.`,
      );
    case 'found':
      break;
  }
  const { metadata, url } = found;
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
