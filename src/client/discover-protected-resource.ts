import { fetchFirstJsonObject, formatAttempts } from '../http/fetch-json-object.js';
import { ClientError } from './client-error.js';

/** RFC 9728 Protected Resource Metadata, the fields a client relies on. */
export interface ProtectedResourceMetadata {
  readonly resource: string;
  readonly authorization_servers: readonly string[];
  readonly scopes_supported?: readonly string[];
  readonly [key: string]: unknown;
}

export interface DiscoverProtectedResourceOptions {
  /** `resource_metadata` from the server's 401/403 challenge, tried first. Default: none. */
  readonly resourceMetadataUrl?: string;
  /** fetch implementation. Default: the global `fetch`. */
  readonly fetch?: typeof fetch;
  /** Timeout per request in milliseconds. Default: 10000. */
  readonly timeoutMs?: number;
}

/**
 * Where to look, in the order MCP 2025-11-25 gives: the challenge's `resource_metadata`, then the
 * well-known URI with the endpoint's path appended, then the well-known URI at the root.
 */
export function protectedResourceMetadataUrls(serverUrl: string, resourceMetadataUrl?: string): string[] {
  const url = new URL(serverUrl);
  const path = url.pathname.replace(/\/+$/, '');
  const urls = resourceMetadataUrl ? [resourceMetadataUrl] : [];
  if (path !== '') urls.push(`${url.origin}/.well-known/oauth-protected-resource${path}`);
  urls.push(`${url.origin}/.well-known/oauth-protected-resource`);
  return [...new Set(urls)];
}

/**
 * Whether an MCP endpoint belongs to a resource: same origin, and the endpoint's path is the resource's
 * path or below it (`http://h/` and `http://h` cover `http://h/mcp`; `http://h/api` does not cover `http://h/apix`).
 */
export function resourceCoversServer(resource: string, serverUrl: string): boolean {
  let r: URL;
  let s: URL;
  try {
    r = new URL(resource);
    s = new URL(serverUrl);
  } catch {
    return false;
  }
  if (r.origin !== s.origin) return false;
  const base = r.pathname.replace(/\/+$/, '');
  const path = s.pathname.replace(/\/+$/, '');
  return base === '' || path === base || path.startsWith(`${base}/`);
}

/**
 * Finds and checks the server's Protected Resource Metadata. The first document found wins; it must name
 * a resource that covers `serverUrl` (otherwise a server could send our user to log in for another
 * resource) and at least one authorization server.
 */
export async function discoverProtectedResource(
  serverUrl: string,
  options: DiscoverProtectedResourceOptions = {},
): Promise<{ metadata: ProtectedResourceMetadata; url: string }> {
  const urls = protectedResourceMetadataUrls(serverUrl, options.resourceMetadataUrl);
  const { found, attempts, unreachable } = await fetchFirstJsonObject(options.fetch ?? fetch, urls, options.timeoutMs ?? 10_000);
  if (found === undefined) {
    const tried = formatAttempts(attempts);
    if (unreachable) throw new ClientError('unreachable', `Cannot reach ${serverUrl}.\nTried:\n${tried}`);
    throw new ClientError(
      'discovery_failed',
      `${serverUrl} publishes no OAuth protected resource metadata (RFC 9728), so there is no way to know where to log in.\nTried:\n${tried}`,
    );
  }
  const { url, body: document } = found;
  const { resource, authorization_servers: servers, scopes_supported: scopes } = document;
  if (typeof resource !== 'string' || !URL.canParse(resource)) {
    throw new ClientError('discovery_failed', `The protected resource metadata at ${url} has no valid "resource".`);
  }
  if (!Array.isArray(servers) || servers.length === 0 || !servers.every((s) => typeof s === 'string' && URL.canParse(s))) {
    throw new ClientError('discovery_failed', `The protected resource metadata at ${url} names no authorization server ("authorization_servers").`);
  }
  if (scopes !== undefined && !(Array.isArray(scopes) && scopes.every((s) => typeof s === 'string'))) {
    throw new ClientError('discovery_failed', `The protected resource metadata at ${url} has an invalid "scopes_supported".`);
  }
  if (!resourceCoversServer(resource, serverUrl)) {
    throw new ClientError(
      'resource_mismatch',
      `The protected resource metadata at ${url} is for ${resource}, not for ${serverUrl}; refusing to log in to another resource.`,
    );
  }
  return { metadata: document as ProtectedResourceMetadata, url };
}
