import { isTodoMcpError } from '../errors/todo-mcp-error.js';
import { rolesGranting } from '../policy/roles.js';
import { parseBearerChallenge, type BearerChallenge } from './bearer-challenge.js';
import { ClientError } from './client-error.js';
import { freshEntry } from './refresh-entry.js';
import { findEntryForServer, type TokenEntry, type TokenStore } from './token-store.js';

/** Why a login is needed. */
export type LoginReason = 'no-token' | 'rejected' | 'step-up';

/** What a session asks of its login. */
export interface SessionLoginRequest {
  readonly reason: LoginReason;
  readonly challenge?: BearerChallenge | undefined;
  readonly previousScopes?: readonly string[] | undefined;
  /**
   * Aborting it abandons this login (the redirect listener closed, the browser command ended, device
   * polling stopped); the login then rejects with the signal's reason. Default: none (the command's own
   * signal still applies).
   */
  readonly signal?: AbortSignal | undefined;
}

/** Runs a login for the session and returns the new entry (see `login()` in login.ts). */
export type SessionLogin = (request: SessionLoginRequest) => Promise<TokenEntry>;

/** Whose tokens, and how to get new ones. */
export interface SessionAuthOptions {
  /** The MCP endpoint. */
  readonly serverUrl: string;
  readonly store: TokenStore;
  /** Logs in when there is no usable token or a step-up is needed. Default: none — fail with `not_logged_in`. */
  readonly login?: SessionLogin;
  /**
   * Aborting it (Ctrl-C) stops a refresh (and, for `withMcpSession`, the request in flight, cancelled with
   * `notifications/cancelled`); the call rejects with its reason. Logins take their own. Default: none.
   */
  readonly signal?: AbortSignal;
}

/** The MCP server refused a request: 401, or 403 (step-up only when its challenge says `insufficient_scope`). */
export interface Refusal {
  readonly status: 401 | 403;
  /** The raw `WWW-Authenticate` header, when there was one. */
  readonly wwwAuthenticate?: string;
  /** The error that carried the refusal, kept as the cause of a final error. */
  readonly cause?: unknown;
}

/**
 * Given a refusal of `entry`'s token (undefined: none was sent), the entry to try again with; throws the
 * error that ends the operation. Aborting `signal` stops the refresh or login it runs (beside the
 * options' own signal); it rejects with the signal's reason.
 */
export type Recovery = (refusal: Refusal, entry: TokenEntry | undefined, signal?: AbortSignal) => Promise<TokenEntry>;

/**
 * How many times one operation may send its request: refresh, login and step-up each happen at most
 * once per {@link createRecovery}, so this bounds a retry loop with room to spare.
 */
export const MAX_AUTH_ATTEMPTS = 4;

/**
 * The stored entry for the server with a usable access token (refreshed when expired), or undefined when
 * there is none. A session that cannot be renewed is `session_expired`, unless `login` may start a new one.
 */
export async function usableEntry(options: SessionAuthOptions): Promise<TokenEntry | undefined> {
  const { serverUrl, store, login } = options;
  const entry = findEntryForServer(await store.read(), serverUrl);
  if (!entry) return undefined;
  try {
    return await freshEntry({ store, entry, signal: options.signal });
  } catch (error) {
    if (!(isTodoMcpError(error) && error.code === 'session_expired' && login)) throw error;
    return undefined;
  }
}

/**
 * One operation's way out of refusals, shared by `call` (one operation per command) and the stdio bridge
 * (one per forwarded message). A 401 leads to one refresh, then (with `login`) one login; a 403
 * `insufficient_scope` to one step-up login with the challenged scopes added. Nothing is tried twice: a
 * second refusal becomes a clear error, so a server that can never be satisfied cannot keep the user in a
 * login loop.
 */
export function createRecovery(options: SessionAuthOptions): Recovery {
  const { serverUrl, store, login } = options;
  const done = { refresh: false, login: false, stepUp: false };

  return async (refusal, entry, own) => {
    const challenge = parseBearerChallenge(refusal.wwwAuthenticate ?? null);
    const signal = own && options.signal ? AbortSignal.any([options.signal, own]) : (own ?? options.signal);

    if (refusal.status === 401) {
      if (entry && !done.refresh && entry.refreshToken) {
        done.refresh = true;
        try {
          return await freshEntry({ store, entry, rejectedToken: entry.accessToken, signal });
        } catch (refreshError) {
          if (!(isTodoMcpError(refreshError) && refreshError.code === 'session_expired' && login)) throw refreshError;
        }
      }
      if (!login) {
        throw entry
          ? new ClientError('session_expired', `${serverUrl} refused the stored access token${why(challenge)}.`)
          : new ClientError('not_logged_in', `Not logged in to ${serverUrl}.`);
      }
      if (done.login || done.stepUp) {
        throw new ClientError('session_expired', `${serverUrl} refused the access token the login just obtained${why(challenge)}.`);
      }
      done.login = true;
      return login({ reason: entry ? 'rejected' : 'no-token', challenge, signal });
    }

    if (challenge?.error !== 'insufficient_scope') {
      throw new ClientError('server_error', `${serverUrl} answered 403 Forbidden${why(challenge)}.`, { cause: refusal.cause });
    }
    const granted = entry?.scopesGranted ?? [];
    const missing = (challenge.scope ?? []).filter((scope) => !granted.includes(scope));
    if (!login || done.stepUp) throw insufficientScope(serverUrl, missing, challenge, done.stepUp);
    done.stepUp = true;
    const next = await login({ reason: 'step-up', challenge, previousScopes: entry?.scopesRequested, signal });
    // The new grant is known: when it still lacks a scope, calling again would only be refused again.
    const stillMissing = missing.filter((scope) => !next.scopesGranted.includes(scope));
    if (stillMissing.length > 0) throw insufficientScope(serverUrl, stillMissing, challenge, true);
    return next;
  };
}

function why(challenge: BearerChallenge | undefined): string {
  if (!challenge?.error) return '';
  return ` (${challenge.error}${challenge.errorDescription ? `: ${challenge.errorDescription}` : ''})`;
}

/** The final word on a missing scope: which one, and which role grants it (for this project's scopes). */
function insufficientScope(serverUrl: string, missing: readonly string[], challenge: BearerChallenge, afterStepUp: boolean): ClientError {
  const scopes = missing.length > 0 ? missing : (challenge.scope ?? []);
  const named = scopes.join(' ') || '(unspecified)';
  const roles = [...new Set(scopes.flatMap((scope) => rolesGranting(scope)))];
  let message: string;
  if (!afterStepUp) message = `${serverUrl} needs the scope ${named}, which the stored login does not have`;
  else if (missing.length > 0) message = `${serverUrl} needs the scope ${named}, which signing in again did not grant`;
  else message = `${serverUrl} still refuses the token for lacking the scope ${named}, although signing in again granted it`;
  if (roles.length > 0) message += `. It comes with the role ${roles.join(' or ')}: ask an administrator for it`;
  if (challenge.errorDescription) message += ` (server: ${challenge.errorDescription})`;
  return new ClientError('insufficient_scope', `${message}.`, { scopes });
}
