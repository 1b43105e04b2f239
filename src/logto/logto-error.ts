import { TodoMcpError, type TodoMcpErrorOptions } from '../errors/todo-mcp-error.js';

/**
 * What talking to a Logto tenant's Management API can fail with. Each code names a situation the user can
 * act on; the message says what happened and what to do. `logto setup` and `doctor` map codes to exit codes.
 */
export type LogtoErrorCode =
  /** Nothing answered at the endpoint (refused, DNS, timeout). */
  | 'logto_unreachable'
  /** Something answered, but not a Logto tenant (no OpenID configuration at `<endpoint>/oidc`, another issuer). */
  | 'logto_not_found'
  /** The token endpoint refused the machine-to-machine credentials (`invalid_client`, `unauthorized_client`). */
  | 'logto_credentials_rejected'
  /** The token endpoint does not know the Management API indicator (`invalid_target`). */
  | 'logto_management_resource_unknown'
  /** The Management API refused the token: the M2M app lacks the Management API role (403 `auth.forbidden`). */
  | 'logto_forbidden'
  /** The tenant's plan does not allow another object (403 `subscription.limit_exceeded` / `system_limit.limit_exceeded`). */
  | 'logto_quota_exceeded'
  /** Any other refusal or failure of the Management API (4xx/5xx we did not expect). */
  | 'logto_request_failed'
  /** An answer that does not have the shape the Management API documents. */
  | 'logto_invalid_answer';

export class LogtoError extends TodoMcpError<LogtoErrorCode> {
  override readonly name = 'LogtoError';
  /** HTTP status of the answer that caused it, when there was one. */
  readonly status: number | undefined;

  constructor(code: LogtoErrorCode, message: string, options: TodoMcpErrorOptions & { status?: number } = {}) {
    super(code, message, options);
    this.status = options.status;
  }
}
