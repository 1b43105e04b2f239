import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { parseBearerChallenge } from '../client/bearer-challenge.js';
import { createRecovery, MAX_AUTH_ATTEMPTS, type Recovery, type SessionAuthOptions } from '../client/session-auth.js';
import { requestIdOfBody } from './host-requests.js';
import { createTokenSource } from './token-source.js';

export interface AuthorizedFetchOptions extends SessionAuthOptions {
  /** Extra headers sent with every request (`--header`), lower-case names, never Authorization. Default: none. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The fetch underneath. Default: the global fetch. */
  readonly fetch?: FetchLike;
  /**
   * The signal of the host request a POST body carries, aborted when the host cancels that request
   * (host-requests.ts): a login or step-up it waits for is then abandoned unless another request waits
   * for it too. Default: none (a login waits until it completes, fails or times out).
   */
  readonly requestSignal?: (body: unknown) => AbortSignal | undefined;
  /** Notes for the person reading stderr. Default: none. */
  readonly log?: (line: string) => void;
}

/**
 * The `fetch` the bridge hands to the SDK's Streamable HTTP transport: it adds the bearer token of the
 * CLI's own login and, on a 401 or a 403 `insufficient_scope`, runs the same recovery as `call`
 * (refresh, login, step-up; each at most once per request) and sends the request again. The SDK's own
 * `authProvider` flow is deliberately not used: todo-mcp's login (PKCE S256, state, RFC 9207 `iss`,
 * 0600 token file, serialized refresh) must be the one login everywhere.
 *
 * A recovery that fails throws its ClientError, which the transport passes up to the bridge, which
 * answers the host's request with it. Only a POST carrying a request may open a browser. Everything else
 * refreshes at most, never starting a login nobody asked for:
 * - a notification or an answer to the server: no request waits on it. A `notifications/cancelled` sent
 *   after the host gave up the login would otherwise have started a new one at once;
 * - a background stream (GET) and the closing DELETE.
 */
export function createAuthorizedFetch(options: AuthorizedFetchOptions): FetchLike {
  const tokens = createTokenSource(options);
  const base = options.fetch ?? ((url, init) => fetch(url, init));
  const extra = Object.entries(options.headers ?? {});
  const quiet = { ...options, login: undefined };

  return async (url, init = {}) => {
    const isPost = (init.method ?? 'GET').toUpperCase() === 'POST';
    // Decided at the first refusal: telling a request from a notification parses the body, which
    // every message would otherwise pay for.
    let interactive = false;
    let recovery: Recovery | undefined;
    for (let attempt = 1; ; attempt += 1) {
      const entry = await tokens.current();
      const headers = new Headers(init.headers);
      for (const [name, value] of extra) headers.set(name, value);
      if (entry) headers.set('authorization', `Bearer ${entry.accessToken}`);
      else headers.delete('authorization');
      const response = await base(url, { ...init, headers });
      if (response.status !== 401 && response.status !== 403) return response;
      const wwwAuthenticate = response.headers.get('www-authenticate') ?? undefined;
      // A 403 that is not about scopes (a refused Origin, say) is final: the transport reports it as it is.
      if (response.status === 403 && parseBearerChallenge(wwwAuthenticate ?? null)?.error !== 'insufficient_scope') return response;
      if (attempt >= MAX_AUTH_ATTEMPTS) return response;
      if (!recovery) {
        interactive = isPost && requestIdOfBody(init.body) !== undefined;
        recovery = createRecovery(interactive ? options : quiet);
      }
      const signal = interactive ? options.requestSignal?.(init.body) : undefined;
      await response.body?.cancel();
      await tokens.recover({ status: response.status, wwwAuthenticate }, entry, recovery, interactive, signal);
    }
  };
}
