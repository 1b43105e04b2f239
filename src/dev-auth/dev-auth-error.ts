import { TodoMcpError, type TodoMcpErrorOptions } from '../errors/todo-mcp-error.js';

/** `dev_auth_locked`: another server uses the directory; `dev_auth_corrupt`: a state file cannot be used; `dev_auth_unwritable`: the directory or its lock cannot be written. */
export type DevAuthErrorCode = 'dev_auth_locked' | 'dev_auth_corrupt' | 'dev_auth_unwritable';

/** Why the development authorization server cannot start from its data directory; `serve` and `auth-server` exit 6. */
export class DevAuthError extends TodoMcpError<DevAuthErrorCode> {
  override readonly name = 'DevAuthError';
  constructor(code: DevAuthErrorCode, message: string, options: TodoMcpErrorOptions = {}) {
    super(code, message, options);
  }
}
