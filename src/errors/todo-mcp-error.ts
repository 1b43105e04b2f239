import type { ErrorCode } from './error-code.js';

/** What every todo-mcp error takes besides its code and message. */
export interface TodoMcpErrorOptions {
  /** Internals for logs only (library messages, paths of internal files, upstream answers). Default: none. */
  readonly detail?: string;
  /** The error this one explains. Default: none. */
  readonly cause?: unknown;
}

/**
 * The one base of every error todo-mcp throws on purpose (jose's shape: callers branch on the stable
 * `code`, never on chains of `instanceof`). `message` is public: what happened and what to do, fit for a
 * terminal, an HTTP answer or a tool result, and never a token or a secret. `detail` is private
 * (node-oidc-provider's error_detail): it may go to a log, never to the user or over the wire.
 *
 * Each layer keeps its own subclass (ClientError, StoreError, OAuthError, …) whose codes are a union of
 * string literals in lower snake case; `ErrorCode` gathers them, and the CLI maps every code to an exit code.
 */
export abstract class TodoMcpError<C extends ErrorCode = ErrorCode> extends Error {
  readonly code: C;
  readonly detail: string | undefined;

  protected constructor(code: C, message: string, options: TodoMcpErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.detail = options.detail;
  }
}

/** Whether `error` is one of ours, so its `code` can be trusted. */
export function isTodoMcpError(error: unknown): error is TodoMcpError {
  return error instanceof TodoMcpError;
}
