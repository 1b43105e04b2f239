import type { ErrorCode } from '../errors/error-code.js';
import { TodoMcpError, type TodoMcpErrorOptions } from '../errors/todo-mcp-error.js';

/**
 * Exit codes of every todo-mcp command. Errors carry a code (see src/errors/); `EXIT_FOR_CODE` below is
 * the one table from error codes to exit codes, and `main` is the one place that exits.
 */
export const EXIT = {
  ok: 0,
  /** The tool ran and answered with an error (isError). */
  toolError: 1,
  /** Wrong flags or arguments, or an invalid configuration. */
  usage: 2,
  /** No usable token: log in (again). */
  notAuthenticated: 3,
  /** Authenticated, but the token lacks a scope the call needs. */
  forbidden: 4,
  /** A server (MCP or authorization server) could not be reached. */
  unreachable: 5,
  /** A server could not start (port in use, data file locked or corrupt). */
  startFailed: 6,
  /** A server answered, but with a failure: HTTP 5xx or an unexpected status/redirect, or a JSON-RPC error. */
  serverError: 7,
  /** A server broke the protocol: a malformed message, a result of the wrong shape, an unsupported version. */
  protocolViolation: 8,
  /** `doctor` found problems, or `logto setup` left objects that differ (each printed with its fix). */
  problemsFound: 9,
  /** A bug: please report it. */
  internal: 70,
  /** Interrupted by SIGINT (Ctrl-C): 128 + 2, as shells report it. */
  interrupted: 130,
  /** Stopped by SIGTERM: 128 + 15. */
  terminated: 143,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Each exit code in the words of the README's "Exit codes" table (a test holds the two equal). */
export const EXIT_MEANINGS: Readonly<Record<ExitCode, string>> = {
  0: 'success',
  1: 'the tool ran and answered with an error',
  2: 'usage or configuration error',
  3: 'not authenticated: log in (again)',
  4: 'forbidden: the token lacks a scope',
  5: 'a server could not be reached (network error, timeout)',
  6: 'a server could not start (port in use, data file locked or corrupt)',
  7: 'a server answered with a failure (HTTP 5xx, an unexpected status or redirect, a JSON-RPC error)',
  8: 'a server broke the protocol (a malformed message, a result of the wrong shape, an unsupported version)',
  9: '`doctor` found problems, or `logto setup` left objects that differ (each printed with its fix)',
  70: 'internal error (a bug: please report it)',
  130: 'interrupted (SIGINT, Ctrl-C)',
  143: 'stopped (SIGTERM)',
};

/** The CLI's own error codes: `usage` (flags, arguments), `not_logged_in`, `unreachable`, `port_unavailable` (cannot listen). */
export type CliErrorCode = 'usage' | 'not_logged_in' | 'unreachable' | 'port_unavailable';

/**
 * The exit code for every error code. Codes that only the servers use (an HTTP answer, a tool result) never
 * reach a command's end: if one does, it is a bug (70).
 */
export const EXIT_FOR_CODE: Readonly<Record<ErrorCode, ExitCode>> = {
  // CLI
  usage: EXIT.usage,
  port_unavailable: EXIT.startFailed,
  // configuration
  config_unreadable: EXIT.usage,
  config_invalid: EXIT.usage,
  config_exists: EXIT.usage,
  // MCP client library
  not_logged_in: EXIT.notAuthenticated,
  session_expired: EXIT.notAuthenticated,
  login_failed: EXIT.notAuthenticated,
  login_timeout: EXIT.notAuthenticated,
  state_mismatch: EXIT.notAuthenticated,
  issuer_mismatch: EXIT.notAuthenticated,
  discovery_failed: EXIT.notAuthenticated,
  resource_mismatch: EXIT.notAuthenticated,
  unsupported_server: EXIT.notAuthenticated,
  registration_required: EXIT.notAuthenticated,
  insufficient_scope: EXIT.forbidden,
  unreachable: EXIT.unreachable,
  store_error: EXIT.usage,
  http_error: EXIT.serverError,
  server_error: EXIT.serverError,
  rpc_error: EXIT.serverError,
  protocol_violation: EXIT.protocolViolation,
  // logto setup and doctor's Logto check (the Management API)
  logto_unreachable: EXIT.unreachable,
  logto_not_found: EXIT.usage,
  logto_credentials_rejected: EXIT.notAuthenticated,
  logto_management_resource_unknown: EXIT.usage,
  logto_forbidden: EXIT.forbidden,
  logto_quota_exceeded: EXIT.serverError,
  logto_request_failed: EXIT.serverError,
  logto_invalid_answer: EXIT.protocolViolation,
  // starting the servers
  authorization_server_discovery_failed: EXIT.unreachable,
  store_write_failed: EXIT.startFailed,
  store_corrupt: EXIT.startFailed,
  store_locked: EXIT.startFailed,
  store_unreadable: EXIT.startFailed,
  dev_auth_locked: EXIT.startFailed,
  dev_auth_corrupt: EXIT.startFailed,
  dev_auth_unwritable: EXIT.startFailed,
  // server side only (HTTP answers, tool results, the store's loader): never a command's outcome
  invalid_request: EXIT.internal,
  invalid_token: EXIT.internal,
  jwks_unavailable: EXIT.internal,
  document_shape_invalid: EXIT.internal,
  // each layer turns a lock it cannot take into its own error (store_locked, dev_auth_locked, store_error)
  lock_held: EXIT.internal,
  lock_unreadable: EXIT.internal,
  lock_contended: EXIT.internal,
  tool_input_invalid: EXIT.internal,
  todo_not_found: EXIT.internal,
  // the user stopped the command (main aborts every wait with an InterruptedError)
  interrupted: EXIT.interrupted,
  terminated: EXIT.terminated,
};

/** An error of the CLI itself, whose message is fit for the user's terminal: what happened and what to do. */
export class CliError extends TodoMcpError<CliErrorCode> {
  override readonly name = 'CliError';
  constructor(code: CliErrorCode, message: string, options: TodoMcpErrorOptions = {}) {
    super(code, message, options);
  }
}
