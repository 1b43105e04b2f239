import { TodoMcpError, type TodoMcpErrorOptions } from '../errors/todo-mcp-error.js';

/**
 * Stable codes for everything the MCP client library can fail with. The CLI maps each code to an exit
 * code; messages are written for the user (what happened and what to do) and never contain a token.
 */
export type ClientErrorCode =
  /** No stored token for this server and logging in was not allowed. */
  | 'not_logged_in'
  /** The stored session is gone: the refresh token was refused (reused, revoked, expired) or absent. */
  | 'session_expired'
  /** The authorization server refused the login (error= on the redirect, or the code exchange failed). */
  | 'login_failed'
  /** Nobody completed the login in time. */
  | 'login_timeout'
  /** The redirect's `state` did not match: possibly a forged request; the login was abandoned. */
  | 'state_mismatch'
  /** An issuer did not match (metadata `issuer`, or RFC 9207 `iss` on the redirect). */
  | 'issuer_mismatch'
  /** The server wants a scope the user could not get. */
  | 'insufficient_scope'
  /** Metadata (protected resource or authorization server) could not be found or is unusable. */
  | 'discovery_failed'
  /** The Protected Resource Metadata names a resource that is not this server. */
  | 'resource_mismatch'
  /** The authorization server lacks something the MCP spec requires (PKCE S256, an endpoint, …). */
  | 'unsupported_server'
  /** No way to obtain a client id: no pre-registered id, no metadata document support, no DCR. */
  | 'registration_required'
  /** A server could not be reached (connection refused, DNS, timeout). */
  | 'unreachable'
  /** The token file is unreadable, corrupt or stays locked. */
  | 'store_error'
  /** The MCP server answered a JSON-RPC error (unknown tool or method, invalid arguments, an internal error). */
  | 'rpc_error'
  /** The MCP server answered with a failure: HTTP 5xx, an unexpected status or redirect, a 403 that is not about scopes, an oversized answer. */
  | 'server_error'
  /** The MCP server broke the protocol: a malformed message, a result of the wrong shape, an unsupported version. */
  | 'protocol_violation';

/** What the MCP client library fails with; the message names the server and says what to do. */
export class ClientError extends TodoMcpError<ClientErrorCode> {
  override readonly name = 'ClientError';
  /** For `insufficient_scope`: the scopes still missing. */
  readonly scopes: readonly string[];

  constructor(code: ClientErrorCode, message: string, options: TodoMcpErrorOptions & { scopes?: readonly string[] } = {}) {
    super(code, message, options);
    this.scopes = options.scopes ?? [];
  }
}
