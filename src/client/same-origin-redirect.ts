import { McpHttpError } from './mcp-errors.js';

/** Most redirects one request follows. */
export const MAX_REDIRECTS = 5;

/** 307 and 308 keep the method and the body; the other redirects may not, so they are failures. */
export function isFollowedRedirect(status: number): boolean {
  return status === 307 || status === 308;
}

/**
 * Where a 307/308 answer to `what` leads, when it may be followed (as the SDK's client does, e.g. `/mcp`
 * → `/mcp/`): within the same origin only — scheme, host and port — so never from https down to http, and
 * the bearer token never goes to another server; at most {@link MAX_REDIRECTS} hops. Otherwise an
 * McpHttpError with the redirect's status (a server that answered with something unusable).
 */
export function sameOriginRedirect(from: URL, status: number, location: string | undefined, hops: number, what: string): URL {
  if (!location) throw new McpHttpError(status, `${what} was answered with HTTP ${status} without a Location`);
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    throw new McpHttpError(status, `${what} was redirected (HTTP ${status}) to an invalid location ${JSON.stringify(location)}`);
  }
  if (next.origin !== from.origin) {
    throw new McpHttpError(
      status,
      `${what} was redirected (HTTP ${status}) to ${next.origin}, another origin; todo-mcp follows redirects only within ${from.origin}, so that the token is never sent elsewhere`,
    );
  }
  if (hops >= MAX_REDIRECTS) throw new McpHttpError(status, `${what} was redirected more than ${MAX_REDIRECTS} times`);
  return next;
}
