/**
 * Authorization server metadata discovery (RFC 8414 / OpenID Connect Discovery) in the order the MCP
 * authorization spec (2025-11-25) prescribes: the one discovery the resource server, the CLI and the doctor
 * share, so they find the same document. It lives outside `auth/` (the resource server) and `client/` so
 * that both may import it without the client depending on server code.
 */

import { fetchFirstJsonObject, type FetchAttempt } from '../http/fetch-json-object.js';

/** The fields of AS metadata this project relies on; everything else is kept as-is. */
export interface AuthorizationServerMetadata {
  readonly issuer: string;
  readonly jwks_uri?: string;
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

/**
 * What discovery found, with every URL tried and its answer (`attempts`, in order; the document's own URL
 * last, as `HTTP 200`). Each caller then applies its own requirements to `metadata`.
 * - `found`: a document whose `issuer` is exactly the one asked for (RFC 8414 §3.3);
 * - `issuer_mismatch`: the first document found names another issuer (`named`): the configured issuer is
 *   wrong, or someone else's metadata is served; it is not skipped in favour of a later URL;
 * - `not_found`: no URL gave a JSON object; `unreachable` when none answered at all (refused, DNS, timeout);
 * - `invalid_issuer`: `issuer` is not an http(s) URL without query or fragment (`problem` says why).
 */
export type AuthorizationServerDiscovery =
  | { readonly outcome: 'found'; readonly metadata: AuthorizationServerMetadata; readonly url: string; readonly attempts: readonly FetchAttempt[] }
  | { readonly outcome: 'issuer_mismatch'; readonly named: unknown; readonly url: string; readonly attempts: readonly FetchAttempt[] }
  | { readonly outcome: 'not_found'; readonly unreachable: boolean; readonly attempts: readonly FetchAttempt[] }
  | { readonly outcome: 'invalid_issuer'; readonly problem: string; readonly attempts: readonly FetchAttempt[] };

/**
 * The metadata URLs for an issuer, in the order to try them. For `https://x/tenant`:
 * `/.well-known/oauth-authorization-server/tenant`, `/.well-known/openid-configuration/tenant`,
 * `/tenant/.well-known/openid-configuration`; for an issuer without a path, the two root documents.
 * Throws TypeError for an issuer that is not an http(s) URL without query or fragment.
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

/** Fetches the authorization server's metadata: the first JSON object found wins. Never throws. */
export async function discoverAuthorizationServer(issuer: string, options: DiscoverAuthorizationServerOptions = {}): Promise<AuthorizationServerDiscovery> {
  const fetchImpl = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 5000;
  let urls: string[];
  try {
    urls = authorizationServerMetadataUrls(issuer);
  } catch (error) {
    return { outcome: 'invalid_issuer', problem: (error as Error).message, attempts: [] };
  }
  const { found, attempts, unreachable } = await fetchFirstJsonObject(fetchImpl, urls, timeoutMs);
  if (found === undefined) return { outcome: 'not_found', unreachable, attempts };
  const { url, body } = found;
  if (body.issuer !== issuer) return { outcome: 'issuer_mismatch', named: body.issuer, url, attempts };
  return { outcome: 'found', metadata: body as AuthorizationServerMetadata, url, attempts };
}
