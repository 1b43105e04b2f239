import { TodoMcpError } from '../errors/todo-mcp-error.js';

/** The only error codes RFC 6750 §3.1 allows on the wire for a resource server. */
export type BearerErrorCode = 'invalid_request' | 'invalid_token' | 'insufficient_scope';

const STATUS: Record<BearerErrorCode, number> = {
  invalid_request: 400,
  invalid_token: 401,
  insufficient_scope: 403,
};

/**
 * An error a resource server may show a client. `description` is public (it reaches the
 * `WWW-Authenticate` header and the JSON body); `detail` is for the server's log only.
 */
export class OAuthError extends TodoMcpError<BearerErrorCode> {
  override readonly name = 'OAuthError';
  readonly status: number;
  /** The public `error_description` (the same text as `message`). */
  readonly description: string;
  /** Scopes the client should ask for (insufficient_scope). */
  readonly scope: readonly string[] | undefined;

  constructor(
    code: BearerErrorCode,
    description: string,
    options: { detail?: string; scope?: readonly string[]; cause?: unknown } = {},
  ) {
    super(code, description, options);
    this.status = STATUS[code];
    this.description = description;
    this.scope = options.scope;
  }
}
