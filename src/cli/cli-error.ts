/**
 * Exit codes of every todo-mcp command (documented in the README). Lower layers throw their own errors;
 * commands translate them into a CliError, and `main` is the one place that exits.
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
  /** `doctor` ran and found problems (each printed with its fix). */
  problemsFound: 9,
  /** A bug: please report it. */
  internal: 70,
  /** Interrupted by SIGINT (Ctrl-C): 128 + 2, as shells report it. */
  interrupted: 130,
  /** Stopped by SIGTERM: 128 + 15. */
  terminated: 143,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error whose message is fit for the user's terminal: what happened and what to do. */
export class CliError extends Error {
  readonly exitCode: ExitCode;
  constructor(message: string, exitCode: ExitCode, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}
