import { rolesGranting } from '../policy/roles.js';
import { parseBearerChallenge, type BearerChallenge } from './bearer-challenge.js';
import { ClientError } from './client-error.js';
import { connectMcpClient, type McpClient } from './mcp-client.js';
import { isTodoMcpError } from '../errors/todo-mcp-error.js';
import { McpHttpError } from './mcp-errors.js';
import { freshEntry } from './refresh-entry.js';
import { findEntryForServer, type TokenEntry, type TokenStore } from './token-store.js';

/** Why a login is needed. */
export type LoginReason = 'no-token' | 'rejected' | 'step-up';

/** Runs a login for the session and returns the new entry (see `login()` in login.ts). */
export type SessionLogin = (request: { reason: LoginReason; challenge?: BearerChallenge; previousScopes?: readonly string[] }) => Promise<TokenEntry>;

export interface McpSessionOptions {
  /** The MCP endpoint. */
  readonly serverUrl: string;
  readonly store: TokenStore;
  /** Logs in when there is no usable token or a step-up is needed. Default: none — fail with `not_logged_in`. */
  readonly login?: SessionLogin;
  /** Name and version sent in `initialize`. Default: todo-mcp and its package.json version. */
  readonly clientInfo?: { name: string; version: string };
  /** Per MCP request. Default: 60 000 ms. */
  readonly timeoutMs?: number;
}

// Refresh, login and step-up each happen at most once, so this bounds the loop with room to spare.
const MAX_ATTEMPTS = 4;

/**
 * Connects to the MCP server with the stored token (refreshed when expired) and runs `fn`. A 401 leads
 * to one refresh, then (with `login`) one login; a 403 `insufficient_scope` to one step-up login with the
 * challenged scopes added. Nothing is retried twice: a second refusal becomes a clear error, so a server
 * that can never be satisfied cannot keep the user in a login loop.
 */
export async function withMcpSession<T>(options: McpSessionOptions, fn: (client: McpClient, entry: TokenEntry | undefined) => Promise<T>): Promise<T> {
  const { serverUrl, store, login } = options;
  let entry = findEntryForServer(await store.read(), serverUrl);
  if (entry) {
    try {
      entry = await freshEntry({ store, entry });
    } catch (error) {
      if (!(error instanceof ClientError && error.code === 'session_expired' && login)) throw error;
      entry = undefined;
    }
  }
  const done = { refresh: false, login: false, stepUp: false };

  for (let attempt = 1; ; attempt += 1) {
    let client: McpClient | undefined;
    try {
      client = await connectMcpClient({
        url: serverUrl,
        ...(entry ? { token: entry.accessToken } : {}),
        ...(options.clientInfo ? { clientInfo: options.clientInfo } : {}),
        ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      });
      return await fn(client, entry);
    } catch (error) {
      const refusal = error instanceof McpHttpError && (error.status === 401 || error.status === 403) ? error : undefined;
      if (!refusal || attempt >= MAX_ATTEMPTS) throw translate(error, serverUrl);
      const challenge = parseBearerChallenge(refusal.wwwAuthenticate ?? null);

      if (refusal.status === 401) {
        if (entry && !done.refresh && entry.refreshToken) {
          done.refresh = true;
          try {
            entry = await freshEntry({ store, entry, rejectedToken: entry.accessToken });
            continue;
          } catch (refreshError) {
            if (!(refreshError instanceof ClientError && refreshError.code === 'session_expired' && login)) throw refreshError;
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
        entry = await login({ reason: entry ? 'rejected' : 'no-token', challenge });
        continue;
      }

      if (challenge?.error !== 'insufficient_scope') {
        throw new ClientError('server_error', `${serverUrl} answered 403 Forbidden${why(challenge)}.`, { cause: error });
      }
      const granted = entry?.scopesGranted ?? [];
      const missing = (challenge.scope ?? []).filter((scope) => !granted.includes(scope));
      if (!login || done.stepUp) throw insufficientScope(serverUrl, missing, challenge, done.stepUp);
      done.stepUp = true;
      entry = await login({ reason: 'step-up', challenge, previousScopes: entry?.scopesRequested });
      // The new grant is known: when it still lacks a scope, calling again would only be refused again.
      const stillMissing = missing.filter((scope) => !entry!.scopesGranted.includes(scope));
      if (stillMissing.length > 0) throw insufficientScope(serverUrl, stillMissing, challenge, true);
    } finally {
      await client?.close();
    }
  }
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

/** The transport's errors (mcp-errors.ts) as ClientErrors that name the server; anything else unchanged. */
function translate(error: unknown, serverUrl: string): unknown {
  if (!isTodoMcpError(error) || error instanceof ClientError) return error;
  switch (error.code) {
    case 'http_error':
      return new ClientError('server_error', `${serverUrl}: ${error.message}.`, { cause: error });
    case 'rpc_error':
      return new ClientError('rpc_error', `${serverUrl} answered: ${error.message}`, { cause: error });
    case 'protocol_violation':
      return new ClientError('protocol_violation', `${serverUrl} is not usable as an MCP server: ${error.message}.`, { cause: error });
    default:
      return error;
  }
}
